import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compileSpecBatches, type CompileOptions } from '../../src/compile/compile-spec.js';
import { piecesCompiledOffThread } from '../../src/compile/compile-pool.js';
import { groupBodyTextBatches } from '../../src/compile/group-requests.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { makeWorkspace } from '../helpers/cli.js';

/** A personalised CSV of `n` rows; `odd(i)` replaces row i's line when it gives one. */
function csv(n: number, odd: (i: number) => string | undefined = () => undefined): string {
  let text = 'phoneNumber,name,code\n';
  for (let i = 0; i < n; i++)
    text += `${odd(i) ?? `4179${String(i).padStart(7, '0')},Person ${i},C${i % 7}`}\n`;
  return text;
}

/** What compile gives of a spec: its bodies' text and its diagnostics, with and without the pool. */
async function compileBoth(files: Record<string, string>) {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const { value: doc } = await loadSpec(join(dir, 'spec.yaml'));
    assert.ok(doc);
    const run = async (options: CompileOptions) => {
      const diagnostics: Diagnostic[] = [];
      const bodies: string[] = [];
      const messages = compileSpecBatches(doc, (d) => diagnostics.push(d), options);
      for await (const chunk of groupBodyTextBatches(messages, 3)) bodies.push(...chunk);
      return {
        bodies,
        diagnostics: diagnostics.map(
          (d) => `${String(d.file)}:${String(d.line)}:${String(d.column)} ${d.code} ${d.message}`,
        ),
      };
    };
    const before = piecesCompiledOffThread();
    const pooled = await run({ bodiesOnly: true, poolFromBytes: 0 });
    const offThread = piecesCompiledOffThread() - before;
    return { pooled, here: await run({}), offThread };
  } finally {
    await cleanup();
  }
}

const SPEC =
  'name: promo\nrevision: 2\nwhatsApp:\n  text: "Hi {{name}}, your code is {{code}}"\nrecipients:\n  - file: people.csv\n';

test('a large CSV compiled by the pool gives the same bodies as on the main thread', async () => {
  const { pooled, here, offThread } = await compileBoth({
    'spec.yaml': SPEC,
    'people.csv': csv(20_000),
  });
  assert.ok(offThread > 2, `pieces compiled off-thread: ${offThread}`);
  assert.is(pooled.bodies.length, here.bodies.length);
  assert.equal(pooled.bodies, here.bodies);
  assert.equal(pooled.diagnostics, here.diagnostics);
});

test('rows with problems in pooled pieces are reported as on the main thread, in the same order', async () => {
  const { pooled, here, offThread } = await compileBoth({
    'spec.yaml': SPEC,
    'people.csv': csv(20_000, (i) => {
      if (i % 4000 === 17) return `+41 79 nope ${i},Person ${i},C1`; // not a number
      if (i % 5000 === 33) return `41790000010,Person 10,C3`; // a duplicate, the same vars
      if (i % 5000 === 34) return `41790000011,Someone else,C4`; // a duplicate, other vars
      if (i % 6000 === 55) return `4179${String(i).padStart(7, '0')},,C1`; // an empty name
      if (i % 7000 === 70) return `4179${String(i).padStart(7, '0')},Person ${i}`; // a field short
      if (i === 9001) return `4179${String(i).padStart(7, '0')},"Quoted, Person",C2`; // read here
      if (i === 12_000) return `4179${String(i).padStart(7, '0')},Esc \u001b[31m,C2`; // control character
      if (i === 15_000) return '';
      return undefined;
    }),
  });
  assert.ok(offThread > 0, `pieces compiled off-thread: ${offThread}`);
  assert.ok(here.diagnostics.length > 10, here.diagnostics.join('\n'));
  assert.equal(pooled.diagnostics, here.diagnostics);
  assert.equal(pooled.bodies, here.bodies);
});

test('a spec of one shared message, a defaultCountry and another delimiter: the pool groups as the main thread', async () => {
  let text = 'name;phone\n';
  for (let i = 0; i < 8000; i++)
    text += `P${i};079 ${String(3000000 + i).slice(1, 4)} ${String(i).padStart(4, '0')}\n`;
  const { pooled, here, offThread } = await compileBoth({
    'spec.yaml':
      'name: shared\nrevision: 1\nsendAt: "2030-01-01T10:00:00Z"\nwhatsApp:\n  text: "Hello"\nrecipients:\n  - file: people.csv\n    delimiter: ";"\n    phoneColumn: phone\n    defaultCountry: CH\n',
    'people.csv': text,
  });
  assert.ok(offThread > 0, `pieces compiled off-thread: ${offThread}`);
  assert.equal(pooled.diagnostics, here.diagnostics);
  assert.equal(pooled.bodies, here.bodies);
  assert.ok(pooled.bodies.length > 2000);
});

test('after a row blew the render budget the pooled rows are not used: compile gives what the main thread gives', async () => {
  // Each row prints its code once per item of big: 40 × 2 characters, but 40 × 2,000 (over the
  // 64 KiB a field may render to) for row 6,000, after which every row of that field fails fast.
  const { pooled, here, offThread } = await compileBoth({
    'spec.yaml': `name: loop\nrevision: 1\nvars:\n  big: [${Array(40).fill(1).join(', ')}]\nwhatsApp:\n  text: "Hi {{name}}: {{#each big}}{{@root.code}}{{/each}}"\nrecipients:\n  - file: people.csv\n`,
    'people.csv': csv(20_000, (i) =>
      i === 6000 ? `4179${String(i).padStart(7, '0')},Person ${i},${'X'.repeat(2000)}` : undefined,
    ),
  });
  assert.ok(offThread > 0, `pieces compiled off-thread: ${offThread}`);
  assert.ok(
    here.diagnostics.some((d) => d.includes('render-limit')),
    here.diagnostics.join('\n'),
  );
  assert.is(pooled.bodies.length, here.bodies.length);
  assert.equal(pooled.diagnostics, here.diagnostics);
  assert.equal(pooled.bodies, here.bodies);
});

test.run();
