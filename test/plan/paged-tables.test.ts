import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messageIdFor } from '../../src/api/identity.js';
import { setEntry } from '../../src/plan/entry-list.js';
import { EntryTable } from '../../src/plan/entry-table.js';
import type { PlanAction, PlanEntry } from '../../src/plan/types.js';
import { VarsTable } from '../../src/plan/vars-table.js';
import type { MessageState } from '../../src/state/types.js';
import { createRandom as random } from '../../src/emulator/random.js';

// More than 3 pages of 65,536 entries (and of content hashes): with 2 resident, most are spilled.
const N = 220_000;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

interface Row {
  action: PlanAction;
  messageId: string;
  spec: string;
  revision: number;
  phoneNumber: string;
  contentHash: string | undefined;
  vars: number | undefined;
  hasPrevious: boolean;
  seed: boolean;
}

/** Rows as classify appends them: a content of their own mostly, odd ids and numbers, seeds. */
function makeRows(): { rows: Row[]; states: Map<string, MessageState> } {
  const next = random(26);
  const states = new Map<string, MessageState>();
  const rows: Row[] = [];
  for (let i = 0; i < N; i++) {
    const spec = i % 5 === 0 ? 'späc' : 'promo';
    const phoneNumber =
      i % 97 === 0
        ? `417****${String(i % 10_000).padStart(4, '0')}`
        : `+4179${String(i).padStart(7, '0')}`;
    const messageId = i % 1001 === 0 ? `legacy-id-${i}` : messageIdFor(spec, 3, phoneNumber);
    const contentHash = i % 13 === 0 ? 'not-hex' : hashOf(i % 4 === 0 ? 'shared' : `c${i}`);
    const hasPrevious = next() < 0.05;
    if (hasPrevious)
      states.set(messageId, {
        messageId,
        spec,
        revision: 3,
        maskedPhoneNumber: '417****0000',
        contentHash: hashOf(`old${i}`),
        outcome: 'failed',
        bulkId: 'B'.repeat(64),
        sentAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:01.000Z',
        error: 'HTTP 503',
      });
    rows.push({
      action: hasPrevious ? 'retry' : 'send',
      messageId,
      spec,
      revision: 3,
      phoneNumber,
      contentHash,
      vars: next() < 0.5 ? i : undefined,
      hasPrevious,
      seed: i % 50_000 === 7,
    });
  }
  return { rows, states };
}

function build(
  { rows, states }: ReturnType<typeof makeRows>,
  pages: { dir?: string; resident?: number },
): EntryTable {
  const table = new EntryTable(states, pages);
  for (const r of rows) {
    // The duplicate check classify makes before each append: every one new.
    assert.not.ok(table.has(r.messageId));
    table.append(
      r.action,
      r.messageId,
      r.spec,
      r.revision,
      r.phoneNumber,
      r.contentHash,
      r.vars,
      r.hasPrevious,
      r.seed,
    );
  }
  return table;
}

function assertSame(paged: EntryTable, plain: EntryTable, what: string): void {
  assert.is(paged.length, plain.length);
  assert.is(paged.contents, plain.contents);
  let i = 0;
  // In order, as every pass reads them; then some at random (a page read back each time).
  for (const entry of paged) {
    const expected = plain.at(i);
    if (JSON.stringify(entry) !== JSON.stringify(expected))
      assert.is(JSON.stringify(entry), JSON.stringify(expected), `${what}: entry ${i}`);
    assert.is(paged.contentIdAt(i), plain.contentIdAt(i), `${what}: content of ${i}`);
    i++;
  }
  const next = random(5);
  for (let k = 0; k < 2000; k++) {
    const at = Math.floor(next() * plain.length);
    assert.is(JSON.stringify(paged.at(at)), JSON.stringify(plain.at(at)), `${what}: entry ${at}`);
  }
}

test('entry table with 2 resident pages: every entry as an unpaged table’s, replaced ones too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waspec-pages-'));
  try {
    const made = makeRows();
    const paged = build(made, { dir: join(dir, 'state'), resident: 2 });
    const plain = build(made, { resident: 1000 });
    assert.ok(paged.spilled, 'the paged table wrote pages to its file');
    assert.not.ok(plain.spilled);
    // The page file is in the folder given, unlinked as soon as it is open.
    assert.equal(readdirSync(join(dir, 'state')), []);
    // Every messageId found again, though its page went to the file.
    for (let i = 0; i < N; i += 37) assert.ok(paged.has(made.rows[i]?.messageId ?? ''));
    assert.not.ok(paged.has(messageIdFor('promo', 3, 'never')));
    // The state's messages in another order than the plan's: those no entry has, by number.
    const next = random(3);
    const ids: string[] = [];
    for (let i = 0; i < N; i += 3) {
      ids.push(made.rows[i]?.messageId ?? '');
      if (i % 2 === 0) ids.push(i % 6 === 0 ? messageIdFor('gone', 3, `${i}`) : `legacy-gone-${i}`);
    }
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    }
    const expected = ids.flatMap((id, i) => (plain.has(id) ? [] : [[i, id]]));
    assert.ok(expected.length > 30_000);
    // Found in any order (a hash that matched but not the id comes last), each with its number.
    for (const table of [paged, plain]) {
      const found = [
        ...table.absent(
          () => ids,
          (id) => id,
        ),
      ].sort((a, b) => a[0] - b[0]);
      // Compared as text: a diff of arrays this long would take minutes.
      assert.ok(JSON.stringify(found) === JSON.stringify(expected), 'the ids no entry has');
    }
    for (const table of [paged, plain]) {
      table.seal();
      table.moveSeedsFirst();
    }
    assertSame(paged, plain, 'built');
    // As the policy and the stages replace entries, after the first pages were spilled: held,
    // moved, staged, some with another content (its hash looked up again).
    for (let i = 0; i < N; i += 3) {
      const entry = plain.at(i) as PlanEntry;
      if (entry.action !== 'send' && entry.action !== 'retry') continue;
      const replaced: PlanEntry =
        i % 2 === 0
          ? { ...entry, action: 'capped', hold: { was: entry.action, reason: `cap ${i % 7}` } }
          : i % 9 === 1
            ? { ...entry, contentHash: hashOf(`new${i % 11}`), stage: 'rest' }
            : {
                ...entry,
                shift: { sendAt: '2026-02-01T13:00:00Z', reason: 'quiet' },
                stage: 'canary',
              };
      setEntry(paged, i, replaced);
      setEntry(plain, i, replaced);
      assert.is(JSON.stringify(paged.at(i)), JSON.stringify(replaced));
    }
    assertSame(paged, plain, 'replaced');
    // Held by the messaging limit, each until its own time, from the last page back to the first
    // (the policy writes in precedence order): the times' pages spill and are read back too.
    const written = new Map<number, string>();
    for (let i = N - 1; i >= 0; i -= 4) {
      const entry = plain.at(i) as PlanEntry;
      if (entry.action !== 'send' && entry.action !== 'retry') continue;
      const time = new Date(Date.UTC(2026, 2, 1) + i * 1_001).toISOString();
      // The policy holds before stages are given: a held entry has none.
      const { stage: _stage, ...unstaged } = entry;
      const held: PlanEntry = {
        ...unstaged,
        action: 'limit',
        hold: { was: entry.action, reason: `limit; can go from ${time}` },
      };
      setEntry(paged, i, held);
      setEntry(plain, i, held);
      written.set(i, JSON.stringify(held));
    }
    for (const [i, held] of written) assert.is(JSON.stringify(paged.at(i)), held, `held ${i}`);
    assertSame(paged, plain, 'held until their times');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function naive(table: VarsTable, rows: number[], name: string, top: number) {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = table.value(row, name) ?? '';
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const sorted = [...counts].map(([value, count], first) => ({ value, count, first }));
  sorted.sort((a, b) => b.count - a.count || a.first - b.first);
  return {
    top: sorted.slice(0, top).map(({ value, count }) => ({ value, count })),
    distinct: counts.size,
  };
}

test('variable table with 2 resident pages: every row and count as an unpaged table’s', () => {
  const next = random(9);
  const paged = new VarsTable({ resident: 2 });
  const plain = new VarsTable({ resident: 1000 });
  const large = 'é'.repeat(700_000);
  for (let i = 0; i < N; i++) {
    const vars =
      i === 100_001
        ? { name: large, city: 'Genève' }
        : {
            name: `Person ${i} ${next() < 0.5 ? 'é' : ''}`,
            city: ['Genève', 'Zürich', 'Basel', ''][i % 4] as string,
            ...(i % 10 === 0 ? { code: `C${i % 300}` } : {}),
          };
    assert.is(paged.add(vars), i);
    plain.add(vars);
  }
  assert.ok(paged.spilled);
  assert.not.ok(plain.spilled);
  for (let row = 0; row < N; row++) {
    const values = paged.values(row);
    if (JSON.stringify(values) !== JSON.stringify(plain.values(row)))
      assert.equal(values, plain.values(row), `row ${row}`);
  }
  assert.is(paged.value(100_001, 'name'), large);
  assert.is(paged.value(3, 'city'), '');
  const rows = Array.from({ length: N }, (_, i) => (i % 17 === 0 ? -1 : i));
  for (const name of ['city', 'code', 'name'])
    for (const top of [0, 3]) {
      const counted = paged.countValues(rows, name, top);
      assert.equal(counted, plain.countValues(rows, name, top), `${name} ${top}`);
      if (name !== 'name') assert.equal(counted, naive(plain, rows, name, top), `${name} ${top}`);
    }
  assert.is(paged.countValues(rows, 'name', 1).distinct, N - Math.ceil(N / 17) + 1);
});

test.run();
