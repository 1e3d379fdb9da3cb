import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactJournal } from '../../src/state/compact-journal.js';
import { JOURNAL_HEADER } from '../../src/state/journal-format.js';
import { withTmpDir } from './tmp-dir.js';

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

test.run();
