import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, startCli } from '../helpers/cli.js';
import { outputOf } from '../helpers/wait-output.js';

const spec = (name: string, file = 'people.csv') =>
  `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n  - file: ${file}\n`;

/** The block of run N, once it has ended. */
const runBlock = (n: number) =>
  new RegExp(`── waspec watch: run ${n} ──[\\s\\S]*?── end of run ${n} ──`);

test('watch re-plans on spec, recipient file, new and deleted specs; survives broken YAML', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/hello.yaml': spec('hello'),
    'specs/people.csv': 'phoneNumber,name\n41791000001,Anna\n',
  });
  const child = startCli(['watch'], { cwd: dir });
  const out = outputOf(child);
  try {
    let block = await out.waitFor(runBlock(1));
    assert.match(block, /Plan: 1 to send/);
    assert.match(
      block,
      /message as written · [^\n]*\n\s+text │ Hi \{\{name\}\}/,
      'the plan itself, not only its summary',
    );
    assert.not.match(block, /Since last run/, 'nothing to compare the first run with');

    await writeFile(join(dir, 'specs/hello.yaml'), `${spec('hello')}whatsApp: [\n`);
    block = await out.waitFor(runBlock(2));
    assert.match(block, /yaml-/);
    assert.match(block, /✗ \d+ error/);

    await writeFile(join(dir, 'specs/hello.yaml'), spec('hello'));
    block = await out.waitFor(runBlock(3));
    assert.match(block, /✓ valid/);
    assert.match(
      block,
      /Since last run: hello now in the plan: 1 message · send 0 → 1 · \d+ errors? fixed\n── end of run 3 ──/,
    );

    await writeFile(
      join(dir, 'specs/people.csv'),
      'phoneNumber,name\n41791000001,Anna\n41791000002,Ben\n41791000003,Cleo\n',
    );
    block = await out.waitFor(runBlock(4));
    assert.match(block, /Plan: 3 to send/);
    assert.match(block, /Since last run: \+2 recipients · send 1 → 3\n/);

    await writeFile(
      join(dir, 'specs/hello.yaml'),
      spec('hello').replace('Hi {{name}}', 'Hello {{name}}'),
    );
    block = await out.waitFor(runBlock(5));
    assert.match(block, /Since last run: text of hello changed: 3 messages\n/);

    await writeFile(join(dir, 'specs/more.csv'), 'phoneNumber,name\n41791000009,Dan\n');
    await writeFile(join(dir, 'specs/second.yaml'), spec('second', 'more.csv'));
    block = await out.waitFor(
      /── waspec watch: run \d+ ──(?:(?!── end)[\s\S])*Plan: 4 to send[\s\S]*?── end of run \d+ ──/,
    );

    // A recipient file the new spec named is watched too.
    await writeFile(
      join(dir, 'specs/more.csv'),
      'phoneNumber,name\n41791000009,Dan\n41791000010,Eve\n',
    );
    await out.waitFor(/Plan: 5 to send/);

    await rm(join(dir, 'specs/hello.yaml'));
    await out.waitFor(/Plan: 2 to send/);

    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.is(code, 0);
  } finally {
    child.kill('SIGKILL');
    await cleanup();
  }
});

test.run();
