import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { compileWorkersForTests } from '../../src/compile/compile-pool.js';
import { compileBoth, csv, csvWithProblems } from '../helpers/compile-both.js';

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
    'people.csv': csvWithProblems(),
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

test('a worker killed mid-run: the pieces it had not answered are compiled in-thread, as without the pool', async () => {
  let killed = 0;
  const { pooled, here, offThread } = await compileBoth(
    { 'spec.yaml': SPEC, 'people.csv': csvWithProblems() },
    () => {
      // The first of them (the others carry on, and serve the tests after this one).
      const [worker] = compileWorkersForTests();
      if (worker) void worker.terminate();
      killed++;
    },
  );
  assert.is(killed, 1);
  assert.ok(offThread > 0, `pieces compiled off-thread: ${offThread}`);
  assert.ok(here.diagnostics.length > 10, here.diagnostics.join('\n'));
  assert.equal(pooled.diagnostics, here.diagnostics);
  assert.equal(pooled.bodies, here.bodies);
});

// In a process of its own: one with no workers left compiles in-thread from then on, and must still end.
const ALL_KILLED = `
import { compileWorkersForTests } from ${JSON.stringify(new URL('../../src/compile/compile-pool.ts', import.meta.url).href)};
import { compileBoth, csvWithProblems } from ${JSON.stringify(new URL('../helpers/compile-both.ts', import.meta.url).href)};
const spec = ${JSON.stringify(SPEC)};
const killed = [];
const out = await compileBoth({ 'spec.yaml': spec, 'people.csv': csvWithProblems() }, () => {
  for (const worker of compileWorkersForTests()) killed.push(worker.terminate());
});
process.stdout.write(JSON.stringify({ ...out, killed: killed.length, left: compileWorkersForTests().length }));
`;

test('every worker killed mid-run: the rest is compiled in-thread, as without the pool, and the process ends', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', ALL_KILLED],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Ended by itself, or killed after 90 s (a worker keeping it alive; a piece never answered is
  // the pooled run's own error after 60 s).
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  assert.equal([code, signal], [0, null], 'the process ended by itself');
  const { pooled, here, offThread, killed, left } = JSON.parse(stdout) as Awaited<
    ReturnType<typeof compileBoth>
  > & { killed: number; left: number };
  assert.ok(killed > 0, `workers killed: ${killed}`);
  assert.is(left, 0);
  assert.ok(offThread > 0, `pieces compiled off-thread: ${offThread}`);
  assert.ok(here.diagnostics.length > 10, here.diagnostics.join('\n'));
  assert.equal(pooled.diagnostics, here.diagnostics);
  assert.equal(pooled.bodies, here.bodies);
});

test.run();
