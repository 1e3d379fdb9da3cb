import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageIdFor } from '../../src/api/identity.js';
import type { JournalRecord } from '../../src/state/types.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';

const FAIL_SPILL = fileURLToPath(new URL('../helpers/fail-spill-writes.mjs', import.meta.url));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const AT = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
/** Over three pages of 65,536 messages: with two kept in memory, the first ones are written out. */
const FILLER = 3 * 65_536 + 1_000;

test('plan against a file state larger than the pages kept in memory: pages in the state folder, the same plan text', async () => {
  const phones = swissNumbers(12);
  const csv = ['phoneNumber,name', ...phones.map((p, i) => `${p},Person ${i}`)].join('\n');
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml':
      'name: promo\nrevision: 2\nbatchSize: 50\nwhatsApp:\n  text: "Hello {{name}}"\nrecipients:\n  - file: promo.csv\n',
    'specs/promo.csv': `${csv}\n`,
  });
  try {
    // The contents the plan renders, from a saved plan against an empty state.
    const out = await runCli(['plan', '--state', 'empty', '--out', 'plan.json'], { cwd: dir });
    assert.is(out.code, 0, out.stderr);
    const saved = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as {
      entries: Array<{ messageId: string; contentHash: string }>;
    };
    const hashOf = new Map(saved.entries.map((e) => [e.messageId, e.contentHash]));
    const ids = phones.map((p) => messageIdFor('promo', 2, p));
    assert.equal([...hashOf.keys()].sort(), [...ids].sort());

    // The recipients' messages first (the first page), then orphans of this revision, then
    // messages of revision 1 (history) past three pages; the outcomes and settlements last, when
    // the first page has been written out.
    const message = (messageId: string, contentHash: string, revision = 2) => ({
      messageId,
      spec: 'promo',
      revision,
      maskedPhoneNumber: '4179***0000',
      contentHash,
    });
    const records: JournalRecord[] = [
      {
        v: 4,
        type: 'in-flight',
        at: AT,
        bulkId: 'R',
        messages: ids.map((id, i) =>
          message(id, i % 3 === 0 ? sha('old') : (hashOf.get(id) ?? '')),
        ),
      },
      {
        v: 4,
        type: 'in-flight',
        at: AT,
        bulkId: 'O',
        messages: swissNumbers(5, 2_000_000).map((p) =>
          message(messageIdFor('promo', 2, p), sha(p)),
        ),
      },
    ];
    for (let i = 0; i < FILLER; i += 100) {
      const messages = [];
      for (let k = i; k < Math.min(FILLER, i + 100); k++)
        messages.push(message(messageIdFor('promo', 1, String(k)), sha(`f${k}`), 1));
      records.push({ v: 4, type: 'in-flight', at: AT, bulkId: `F${i}`, messages });
    }
    const outcomes = ['accepted', 'accepted', 'accepted', 'rejected', 'failed'] as const;
    records.push({
      v: 1,
      type: 'outcome',
      at: LATER,
      bulkId: 'R',
      // The last two recipients stay in flight (in doubt).
      results: ids.slice(0, 10).map((messageId, i) => ({
        messageId,
        outcome: outcomes[i % outcomes.length] as (typeof outcomes)[number],
      })),
    });
    records.push({
      v: 2,
      type: 'settle',
      at: LATER,
      by: 'ops',
      reason: 'seen in the console',
      as: 'accepted',
      messageIds: [ids[10] as string],
    });
    const header = '{"waspec":"state","formatVersion":1}\n';
    await mkdir(join(dir, 'st'));
    await writeFile(
      join(dir, 'st', 'journal.ndjson'),
      header + records.map((r) => JSON.stringify(r)).join('\n') + '\n',
    );

    // Two pages in memory: the others go to a page file in the state folder (a full disk there
    // is an error naming it).
    const pages = { WASPEC_RESIDENT_PAGES: '2' };
    const full = await runCli(['plan', '--state', 'st'], {
      cwd: dir,
      env: { ...pages, NODE_OPTIONS: `--import=${FAIL_SPILL}` },
    });
    assert.is(full.code, 1, full.stderr);
    assertNoStackTrace(full);
    assert.ok(
      full.stderr.includes(
        `error: The state's messages cannot be written to a spill file in ${join(dir, 'st')} (ENOSPC`,
      ),
      full.stderr,
    );

    const paged = await runCli(['plan', '--state', 'st'], { cwd: dir, env: pages });
    const held = await runCli(['plan', '--state', 'st'], { cwd: dir });
    assert.is(paged.code, 0, paged.stderr);
    assert.is(held.code, 0, held.stderr);
    assert.is(paged.stdout, held.stdout);
    assert.is(paged.stderr, held.stderr);
    // What the state says of the recipients (their page written out, changed, read back) and orphans.
    assert.match(
      held.stdout,
      /^Plan: 0 to send, 2 to retry, 5 unchanged, 2 drift, 2 rejected, 1 in doubt, 5 orphans$/m,
    );
  } finally {
    await cleanup();
  }
});

test.run();
