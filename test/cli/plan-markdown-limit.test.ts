import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers } from '../helpers/specs.js';

// 5,000 personalised texts made `plan --format markdown` 699 KB; a comment holds 65,536 characters.
const SPEC = `name: promo\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}, {{discount}}% off with {{code}}. ${'Terms apply. '.repeat(30)}"\nrecipients:\n  - file: promo.csv\n`;
const csv = (n: number) =>
  [
    'phoneNumber,name,discount,code',
    ...swissNumbers(n).map((p, i) => `${p},Person ${i},${i % 3 === 0 ? 30 : 20},C${i}`),
  ].join('\n');

test('plan --format markdown of 5,000 personalised recipients fits one comment; --max-bytes lowers it, show takes it too', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': SPEC,
    'specs/promo.csv': `${csv(5000)}\n`,
  });
  try {
    const plan = await runCli(['plan', '--format', 'markdown', '--out', 'plan.json'], { cwd: dir });
    assert.is(plan.code, 0, plan.stderr);
    assert.ok(Buffer.byteLength(plan.stdout) <= 60_000, `${Buffer.byteLength(plan.stdout)} bytes`);
    assert.match(plan.stdout, /\| promo \| 5,000 \|/);
    assert.match(plan.stdout, /\| <code>\{\{discount\}\}<\/code> \| 20 ×3,333 · 30 ×1,667 \|/);
    assert.match(plan.stdout, /Hi Person 0, 30% off with C0/);
    assert.not.match(plan.stdout, /4179\d{7}/, 'numbers masked');

    const small = await runCli(['plan', '--format', 'markdown', '--max-bytes', '2000'], {
      cwd: dir,
    });
    assert.is(small.code, 0, small.stderr);
    assert.ok(Buffer.byteLength(small.stdout) <= 2000, `${Buffer.byteLength(small.stdout)} bytes`);
    assert.match(
      small.stdout,
      /_Left out to stay within 2,000 bytes: .*waspec plan --format html --out plan\.html/,
    );

    const shown = await runCli(
      ['show', join(dir, 'plan.json'), '--format', 'markdown', '--max-bytes', '2000'],
      { cwd: dir },
    );
    assert.is(shown.code, 0, shown.stderr);
    assert.is(shown.stdout, small.stdout, 'a saved plan prints the same');
  } finally {
    await cleanup();
  }
});

test('--max-bytes: a whole number of at least 2,000, with --format markdown only (else a one-line error, exit 1)', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': SPEC,
    'specs/promo.csv': `${csv(2)}\n`,
  });
  try {
    for (const args of [
      ['--format', 'markdown', '--max-bytes', '100'],
      ['--format', 'markdown', '--max-bytes', 'lots'],
      ['--max-bytes', '5000'],
    ]) {
      const r = await runCli(['plan', ...args], { cwd: dir });
      assertNoStackTrace(r);
      assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /--max-bytes/);
    }
  } finally {
    await cleanup();
  }
});

test.run();
