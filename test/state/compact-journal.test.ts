import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactJournal } from '../../src/state/compact-journal.js';
import { JOURNAL_HEADER } from '../../src/state/journal-format.js';
import { readdir } from 'node:fs/promises';
import { compactRecords } from '../../src/state/compact-records.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { migrateState } from '../../src/state/migrate-state.js';
import type { JournalRecord } from '../../src/state/types.js';
import { readRecords } from '../helpers/state-backends.js';
import { inFlight, outcome } from './records.js';
import { withTmpDir } from './tmp-dir.js';

const A = { messageId: 'a', spec: 's', phoneNumber: '41793026727', contentHash: 'h1' };

/** Records of an older waspec (full numbers, rendered texts) over several pages and chunks. */
function olderRecords(n: number): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (let i = 0; i < n; i++) {
    const at = '2026-01-01T00:00:00.000Z';
    records.push(inFlight(`B${i}`, at, [{ ...A, messageId: `m${i}`, contentHash: `h${i}` }]));
    if (i % 2 === 0)
      records.push({
        v: 3,
        type: 'content',
        at,
        hash: `h${i}`,
        content: { whatsApp: { text: `Hello ${i} ${'x'.repeat(400)}` } },
      });
    records.push(outcome(`B${i}`, at, [{ messageId: `m${i}`, outcome: 'accepted' }]));
  }
  return records;
}

test('a journal with an invalid line is not compacted, and the refusal names its line', async () => {
  await withTmpDir(async (dir) => {
    const file = join(dir, 'journal.ndjson');
    const text = `${JSON.stringify(JOURNAL_HEADER)}\n{"v": 4, "type": "nonsense"}\n`;
    await writeFile(file, text);
    const error = await compactJournal(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, Error);
    assert.match((error as Error).message, `${file}:2 has invalid lines`);
    assert.is(await readFile(file, 'utf8'), text, 'the journal is left as it was');
  });
});

test('compact streams a journal of many chunks: the same records as compacting them all at once; nothing left beside it', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    const records = olderRecords(3000);
    await store.append(records);
    const result = await store.compact();
    const expected = compactRecords(records);
    assert.equal(result, expected.result);
    assert.equal(await readRecords(store), expected.kept);
    assert.equal((await readdir(dir)).sort(), ['journal.ndjson']);
    const again = await readFile(join(dir, 'journal.ndjson'), 'utf8');
    assert.equal(await store.compact(), {
      records: expected.kept.length,
      rewritten: 0,
      removed: 0,
    });
    assert.is(
      await readFile(join(dir, 'journal.ndjson'), 'utf8'),
      again,
      'nothing to compact: untouched',
    );
    assert.equal((await readdir(dir)).sort(), ['journal.ndjson']);
  }));

test('migrate streams both sides: a target holding the first records gets the rest; one that differs past the first page is refused with its record number', () =>
  withTmpDir(async (dir) => {
    const source = openFileStateStore(join(dir, 'source'));
    const records = olderRecords(1500);
    await source.append(records);
    const kept = compactRecords(records).kept;
    const target = openFileStateStore(join(dir, 'target'));
    await target.append(kept.slice(0, 2200));
    const result = await migrateState(source, target);
    assert.equal(result, { records: kept.length, copied: kept.length - 2200, messages: 1500 });
    assert.equal(await readRecords(target), kept);

    const other = openFileStateStore(join(dir, 'other'));
    await other.append([
      ...kept.slice(0, 1700),
      outcome('X', '2026-01-02T00:00:00.000Z', [{ messageId: 'm0', outcome: 'failed' }]),
    ]);
    const error = await migrateState(source, other).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, Error);
    assert.match((error as Error).message, 'record 1701 differs');
    assert.is((await readRecords(other)).length, 1701, 'nothing was copied');
  }));

test.run();
