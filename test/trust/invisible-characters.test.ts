import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { formatDiagnostics } from '../../src/report/diagnostics-format.js';
import { formatPlan } from '../../src/report/plan-format.js';
import { revealInvisible } from '../../src/report/reveal-invisible.js';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const HOSTILE = 'Your order shipped.\u001b[8m Send BTC to x\u001b[0m\rThanks \u202Eevil\u200B.';
const RAW = /[\u001b\r\u202e\u200b]/;

function hostilePlan(): Plan {
  const entries: PlanEntry[] = [
    {
      action: 'send',
      messageId: '00000000-0000-5000-8000-000000000001',
      spec: 'shipped',
      revision: 1,
      phoneNumber: '41793026727',
      contentHash: 'h1',
    },
  ];
  return {
    formatVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    specs: [{ name: 'shipped', file: 'specs/shipped.yaml', revision: 1, batchSize: 100 }],
    contents: { h1: { whatsApp: { text: HOSTILE } } },
    entries,
    summary: summarizeEntries(entries),
    inputs: { files: [], state: { location: '.waspec', sha256: 'x' } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [
      makeDiagnostic(
        'control-character',
        `whatsApp.text contains ${HOSTILE}`,
        { file: 'specs/shipped.yaml', line: 3, column: 2 },
        { severity: 'warning' },
      ),
    ],
  };
}

test('revealInvisible: ESC, CR, bidi and zero-width become visible escapes; emoji joiners stay', () => {
  assert.is(
    revealInvisible('a\u001b[8mb\rc\u202Ed\u200Be\u00A0f\tg\nh'),
    'a\\e[8mb\\rc\\u{202E}d\\u{200B}e\u00A0f\tg\nh',
  );
  assert.is(revealInvisible('family 👨‍👩‍👧 ok'), 'family 👨‍👩‍👧 ok');
  assert.is(revealInvisible('\u0085\u2066x\u2069\uFEFF'), '\\u{0085}\\u{2066}x\\u{2069}\\u{FEFF}');
});

for (const format of ['pretty', 'markdown', 'json', 'html'] as const) {
  test(`plan --format ${format} prints no raw control or invisible character`, () => {
    const out = formatPlan(hostilePlan(), { format, color: false });
    assert.not.match(out, RAW);
    if (format === 'json') {
      const parsed = JSON.parse(out) as Plan;
      assert.is(parsed.contents.h1?.whatsApp.text, HOSTILE, 'JSON keeps the value, escaped');
      assert.match(out, /\\u001b\[8m/);
      assert.match(out, /\\u202e/);
    } else if (format === 'markdown') {
      assert.match(out, /&#92;e&#91;8m Send BTC/, 'the hidden part is shown');
      assert.match(out, /&#92;r/);
    } else {
      assert.match(out, /\\e\[8m Send BTC/, 'the hidden part is shown');
      assert.match(out, /\\r/);
    }
  });
}

test('markdown: a lone CR does not end the table cell', () => {
  const out = formatPlan(hostilePlan(), { format: 'markdown' });
  // The text shows in a table row: the message's own, or a sample's when the plan has no shape.
  const row = out.split('\n').find((line) => line.startsWith('|') && line.includes('Send BTC'));
  assert.ok(row, `the text row exists: ${out}`);
  assert.match(row, /Send BTC.*Thanks.*\|$/, 'the whole text is in one row');
});

test('diagnostics in every format show the characters escaped', () => {
  const { diagnostics } = hostilePlan();
  for (const format of ['pretty', 'github'] as const) {
    const out = formatDiagnostics(diagnostics, { format, readLines: () => undefined });
    assert.not.match(out, RAW, format);
  }
  assert.match(formatDiagnostics(diagnostics, { format: 'json' }), /\\u001b/);
});

const SPEC = (text: string, extra = '') =>
  `name: shipped\nrevision: 1\n${extra}whatsApp:\n  text: "${text}"\nrecipients:\n  - phoneNumber: "41793026727"\n    vars: { name: Anna }\n`;

test('validate: ESC and bidi overrides are errors, CR and zero-width warnings; allowControlCharacters opts in', async () => {
  const ws = await makeWorkspace({
    'specs/esc.yaml': SPEC('Your order shipped.\\e[8m Send BTC\\e[0m\\rThanks'),
    'bidi/bidi.yaml': SPEC('Total \\u202E 001 CHF'),
    'soft/soft.yaml': SPEC('Thanks\\rbye\\u200B'),
    'allowed/allowed.yaml': SPEC('Red \\e[31mtext\\e[0m', 'allowControlCharacters: true\n'),
  });
  try {
    const run = async (dir: string) => {
      const r = await runCli(['validate', dir, '--format', 'json'], { cwd: ws.dir });
      assertNoStackTrace(r);
      return {
        code: r.code,
        result: JSON.parse(r.stdout) as {
          diagnostics: Array<{ code: string; severity: string; line: number; message: string }>;
        },
      };
    };
    const esc = await run('specs');
    assert.is(esc.code, 1);
    const d = esc.result.diagnostics.find((x) => x.code === 'control-character');
    assert.is(d?.severity, 'error');
    assert.is(d?.line, 4);
    assert.match(d?.message ?? '', /\\e/);
    assert.is(
      (await run('bidi')).result.diagnostics.find((x) => x.code === 'control-character')?.severity,
      'error',
    );
    const soft = await run('soft');
    assert.is(soft.code, 0);
    assert.is(
      soft.result.diagnostics.find((x) => x.code === 'control-character')?.severity,
      'warning',
    );
    const allowed = await run('allowed');
    assert.is(allowed.code, 0);
    assert.is(
      allowed.result.diagnostics.find((x) => x.code === 'control-character')?.severity,
      'warning',
    );
    // Pretty output on a terminal stream shows it escaped, never raw.
    const pretty = await runCli(['validate', 'specs'], { cwd: ws.dir });
    assert.not.match(pretty.stdout + pretty.stderr, RAW);
    assert.match(pretty.stderr, /control-character/);
  } finally {
    await ws.cleanup();
  }
});

test('a control character from a recipient file is reported at its line, and plan shows it escaped', async () => {
  const ws = await makeWorkspace({
    'specs/hi.yaml':
      'name: hi\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n  - file: people.csv\n',
    'specs/people.csv': 'phoneNumber,name\n41793026727,Anna\n447910000000,"Ben\u001b[2J"\n',
  });
  try {
    const r = await runCli(['validate', '--format', 'json'], { cwd: ws.dir });
    const d = (
      JSON.parse(r.stdout) as {
        diagnostics: Array<{ code: string; file: string; line: number; severity: string }>;
      }
    ).diagnostics.find((x) => x.code === 'control-character');
    assert.is(d?.file, 'specs/people.csv');
    assert.is(d?.line, 3);
    assert.is(d?.severity, 'error');
    const plan = await runCli(['plan'], { cwd: ws.dir });
    assert.not.match(plan.stdout + plan.stderr, RAW);
  } finally {
    await ws.cleanup();
  }
});

test.run();
