import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messageIdFor } from '../../src/api/identity.js';
import { setEntry } from '../../src/plan/entry-list.js';
import { EntryTable, previousOf } from '../../src/plan/entry-table.js';
import type { PlanEntry } from '../../src/plan/types.js';
import type { MessageState } from '../../src/state/types.js';
import { createRandom as random } from '../../src/emulator/random.js';

const HASHES = ['a'.repeat(64), 'b'.repeat(63) + 'c', '0123456789abcdef'.repeat(4), 'not-hex'];

interface Case {
  entries: PlanEntry[];
  states: Map<string, MessageState>;
}

/** Entries of every shape the plan makes: sends, kept, held, moved, staged, seeds, orphans, odd values. */
function makeCase(seed: number, n: number): Case {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const states = new Map<string, MessageState>();
  const entries: PlanEntry[] = [];
  for (let i = 0; i < n; i++) {
    const spec = pick(['promo', 'hello', 'späc']);
    const revision = pick([1, 2, 70000]);
    const phoneNumber = pick([
      `4179${String(i).padStart(7, '0')}`,
      `+4479${String(i).padStart(8, '0')}`,
      `0${i}`,
      `417****${String(i).padStart(4, '0')}`,
      '999999999999999',
    ]);
    const messageId =
      next() < 0.9 ? messageIdFor(spec, revision, `${phoneNumber}-${i}`) : `legacy-id-${i}`;
    const contentHash = pick(HASHES);
    const hasPrevious = next() < 0.4;
    if (hasPrevious)
      states.set(messageId, {
        messageId,
        spec,
        revision,
        maskedPhoneNumber: '417****0000',
        contentHash: pick(HASHES),
        outcome: pick(['accepted', 'failed', 'rejected', 'in-flight'] as const),
        bulkId: 'B'.repeat(64),
        sentAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:01.000Z',
        ...(next() < 0.3 ? { error: 'HTTP 503' } : {}),
      });
    const state = states.get(messageId);
    const base = { messageId, spec, revision, phoneNumber };
    const roll = next();
    if (roll < 0.1 && state) {
      entries.push({ action: 'orphan', ...base, previous: previousOf(state) });
      continue;
    }
    const compiled: Record<string, unknown> = {
      action: state ? pick(['unchanged', 'drift', 'retry', 'in-doubt'] as const) : 'send',
      ...base,
      contentHash,
    };
    if (next() < 0.5) compiled.vars = next() < 0.7 ? i : { name: `Person ${i}`, x: '' };
    if (state) compiled.previous = previousOf(state, contentHash);
    if (next() < 0.1) compiled.seed = true;
    const sending = compiled.action === 'send' || compiled.action === 'retry';
    // Times of their own (kept as numbers), and texts that only look like one (kept as they are).
    const time = new Date(Date.UTC(2026, 1, 1) + i * 1_001).toISOString();
    if (sending && next() < 0.2)
      compiled.shift = pick([
        { sendAt: pick(['2026-02-01T13:00:00Z', 'x\u001b[2J', time]), reason: 'quiet' },
        { sendAt: time, reason: `limit; can go from ${time}` },
      ]);
    if (sending && next() < 0.2) {
      compiled.hold = {
        was: compiled.action,
        reason: pick([
          'suppressed',
          'capped: 2 a day',
          `limit; can go from ${time}`,
          'limit; can go from ',
          time,
          'suppressed, 2026-02-01T13:00:00.000Z',
          'rolls over: 2026-02-30T10:00:00.000Z',
          'midnight: 2026-02-01T24:00:00.000Z',
          'no milliseconds: 2026-02-01T13:00:00Z',
        ]),
      };
      compiled.action = pick(['suppressed', 'capped', 'quiet-hours', 'limit'] as const);
    } else if (sending && next() < 0.5) compiled.stage = pick(['seed', 'canary', 'rest'] as const);
    entries.push(compiled as unknown as PlanEntry);
  }
  return { entries, states };
}

function tableOf({ entries, states }: Case): EntryTable {
  const table = new EntryTable(states);
  for (const entry of entries) table.push(entry);
  return table;
}

test('entries read back from the table are the entries put in, fields in the same order', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const c = makeCase(seed, 300);
    const table = tableOf(c);
    assert.is(table.length, c.entries.length);
    // JSON compares the key order too: plan --format json and saved plans are compared byte for byte.
    [...table].forEach((e, i) =>
      assert.is(JSON.stringify(e), JSON.stringify(c.entries[i]), `seed ${seed} entry ${i}`),
    );
    assert.is(JSON.stringify(table), JSON.stringify(c.entries));
    assert.is(JSON.stringify(table.at(-1)), JSON.stringify(c.entries.at(-1)));
    assert.is(table.at(c.entries.length), undefined);
    assert.equal(table.slice(5, 9), c.entries.slice(5, 9));
    assert.is(
      table.filter((e) => e.action === 'send').length,
      c.entries.filter((e) => e.action === 'send').length,
    );
  }
});

test('an entry replaced with setEntry is read back as replaced; the others are untouched', () => {
  const c = makeCase(7, 200);
  const table = tableOf(c);
  // As the policy replaces them: after the table was built and its look-ups let go of.
  table.seal();
  const expected = [...c.entries];
  c.entries.forEach((entry, i) => {
    if (entry.action !== 'send') return;
    // The policy holds before stages are given: a held entry has none.
    const { stage: _stage, ...unstaged } = entry;
    const held: PlanEntry = {
      ...unstaged,
      action: 'capped',
      hold: { was: 'send', reason: `cap ${i % 3}` },
    };
    // Every third one with another content: its hash is looked up again.
    const moved = i % 3 === 0 ? { ...held, contentHash: 'f'.repeat(64) } : held;
    setEntry(table, i, moved);
    expected[i] = moved;
  });
  assert.is(JSON.stringify([...table]), JSON.stringify(expected));
});

test('holds and moves ending with a time: one kept text for any number of times, read back the same', () => {
  const kept = [1_000, 10_000].map((n) => {
    const table = new EntryTable(new Map());
    const expected: PlanEntry[] = [];
    for (let i = 0; i < n; i++) {
      const phoneNumber = `4179${String(i).padStart(7, '0')}`;
      const messageId = messageIdFor('promo', 1, phoneNumber);
      table.append('send', messageId, 'promo', 1, phoneNumber, 'a'.repeat(64), i, false, false);
      const send = {
        messageId,
        spec: 'promo',
        revision: 1,
        phoneNumber,
        contentHash: 'a'.repeat(64),
        vars: i,
      };
      // Each its own time, as the messaging limit gives them: held until it, or moved to it
      // (some moved out of quiet hours before, to a time of their own that is kept as text).
      const time = new Date(Date.UTC(2026, 2, 1) + i * 1_001).toISOString();
      const reason = `messaging limit of 5 unique recipients per 24 h; can go from ${time}`;
      const quiet = { sendAt: '2026-03-01T08:00:00.000Z', reason: 'moved out of quiet hours' };
      expected.push(
        i % 3 === 0
          ? { action: 'send', ...send, shift: { sendAt: time, reason } }
          : {
              action: 'limit',
              ...send,
              ...(i % 3 === 1 ? { shift: quiet } : {}),
              hold: { was: 'send', reason },
            },
      );
    }
    table.seal();
    expected.forEach((entry, i) => setEntry(table, i, entry));
    assert.is(JSON.stringify([...table]), JSON.stringify(expected), `${n} entries`);
    assert.is(
      new Set(
        expected.map((e) =>
          'hold' in e ? e.hold.reason : 'shift' in e ? e.shift?.reason : undefined,
        ),
      ).size,
      n,
    );
    return table.extrasKept;
  });
  // Ten times the times, the same texts kept: the moved one, the held one, the held and moved one.
  assert.equal(kept, [3, 3]);
});

test('has finds every messageId put in and no other', () => {
  const c = makeCase(3, 500);
  const table = tableOf(c);
  for (const entry of c.entries) assert.ok(table.has(entry.messageId));
  assert.not.ok(table.has(messageIdFor('promo', 1, 'never')));
  assert.not.ok(table.has('legacy-id-none'));
  table.seal();
  assert.throws(() => table.has(c.entries[0]?.messageId ?? ''), /sealed/);
});

test("seeds' test messages are read first, each group in its order", () => {
  const c = makeCase(11, 400);
  const table = tableOf(c);
  table.moveSeedsFirst();
  const seed = (e: PlanEntry) => e.action !== 'orphan' && e.seed === true;
  const expected = [...c.entries.filter(seed), ...c.entries.filter((e) => !seed(e))];
  assert.ok(expected.some(seed));
  assert.is(JSON.stringify([...table]), JSON.stringify(expected));
  expected.forEach((entry, i) => assert.is(JSON.stringify(table.at(i)), JSON.stringify(entry)));
});

test('contentIdAt numbers each distinct content hash once, none for an orphan', () => {
  const c = makeCase(5, 300);
  const table = tableOf(c);
  const ids = new Map<string, number>();
  c.entries.forEach((entry, i) => {
    const id = table.contentIdAt(i);
    if (entry.action === 'orphan') return assert.is(id, -1);
    const known = ids.get(entry.contentHash);
    if (known === undefined) ids.set(entry.contentHash, id);
    else assert.is(id, known);
  });
  assert.is(new Set(ids.values()).size, ids.size);
  assert.is(table.contents, ids.size);
  assert.ok([...ids.values()].every((id) => id >= 0 && id < table.contents));
});

test('many rows: over a chunk of 65,536, hashes and the messageId look-up grow', () => {
  const states = new Map<string, MessageState>();
  const table = new EntryTable(states);
  const n = 70_000;
  for (let i = 0; i < n; i++) {
    const phoneNumber = `4179${String(i).padStart(7, '0')}`;
    const hash = (i % 50_000).toString(16).padStart(64, '0');
    table.append(
      'send',
      messageIdFor('big', 1, phoneNumber),
      'big',
      1,
      phoneNumber,
      hash,
      i,
      false,
      false,
    );
  }
  assert.is(table.length, n);
  assert.is(table.contents, 50_000);
  assert.ok(table.has(messageIdFor('big', 1, '41790069999')));
  assert.equal(table.at(69_999), {
    action: 'send',
    messageId: messageIdFor('big', 1, '41790069999'),
    spec: 'big',
    revision: 1,
    phoneNumber: '41790069999',
    contentHash: (69_999 % 50_000).toString(16).padStart(64, '0'),
    vars: 69_999,
  });
});

test.run();
