import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, runCli } from '../helpers/cli.js';

// Numbers as people write them, in a spec's vars and text, inline recipients and a CSV.
const SPEC = `name: hotline
revision: 1
vars: { support: "+41 (79) 302-67-28", office: "078 123 45 67" }
whatsApp:
  text: "Hi {{name}}, call {{support}}, {{office}} or 0041 79 555 12 34 (from {{phone}})"
recipients:
  - { phoneNumber: "+41 79 302 67 27", vars: { name: Anna, phone: "+41.79.302.67.27" } }
  - file: people.csv
`;
const CSV = 'phoneNumber,name,phone\n+41 79 444 55 66,Ben,079 444 55 66\n';
const BAD_CSV = `${CSV}+41 79 444 55 6,Carl,079 444 55 6\n+41 79 888 77 66,,x\n`;

/** The middle digits that masking hides, in every way they were written. */
const HIDDEN = [
  '302 67',
  '30267',
  '302-67',
  '302.67',
  '123 45',
  '12345',
  '555 12',
  '55512',
  '444 55',
  '44455',
  '888 77',
  '88877',
];

function assertMasked(what: string, text: string): void {
  for (const part of HIDDEN) assert.not.ok(text.includes(part), `${what} shows ${part}:\n${text}`);
}

test('--mask hides numbers written with spaces, dots, dashes, brackets, 00 and national forms in every format', async () => {
  const ws = await makeWorkspace({ 'specs/hotline.yaml': SPEC, 'specs/people.csv': CSV });
  try {
    for (const format of ['pretty', 'json', 'markdown']) {
      const run = await runCli(['plan', '--mask', '--format', format, '--out', 'plan.json'], {
        cwd: ws.dir,
      });
      assert.is(run.code, 0, run.stdout + run.stderr);
      // Markdown writes the asterisks as entities.
      const shown = run.stdout.replace(/&#42;/g, '*');
      assert.match(shown, /\+417\*\*\*\*6728/, `${format}: the value, masked`);
      assert.match(shown, /078\*\*\*\*4567/, `${format}: the national number, masked`);
      assertMasked(`plan ${format}`, run.stdout + run.stderr);
      assertMasked('plan.json', await readFile(join(ws.dir, 'plan.json'), 'utf8'));
    }
  } finally {
    await ws.cleanup();
  }
});

test('--mask hides them in diagnostics too: messages, code frames, JSON and annotations', async () => {
  const ws = await makeWorkspace({ 'specs/hotline.yaml': SPEC, 'specs/people.csv': BAD_CSV });
  try {
    const runs = [
      await runCli(['plan', '--mask'], { cwd: ws.dir, env: { GITHUB_ACTIONS: 'true' } }),
      await runCli(['plan', '--mask', '--format', 'json'], { cwd: ws.dir }),
      await runCli(['plan', '--mask', '--format', 'markdown'], { cwd: ws.dir }),
    ];
    for (const run of runs) {
      assert.is(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /phone-invalid/);
      assertMasked('plan with errors', run.stdout + run.stderr);
    }
    // Without --mask the numbers are shown as written (the author's own terminal).
    const plain = await runCli(['plan'], { cwd: ws.dir });
    assert.match(plain.stderr, /\+41 79 444 55 6/);
  } finally {
    await ws.cleanup();
  }
});

test.run();
