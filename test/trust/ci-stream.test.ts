import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnosticsGithub } from '../../src/report/diagnostics-github.js';
import { makeWorkspace, runCli } from '../helpers/cli.js';

const INJECTED = '::error file=specs/a.yaml,line=1::Security review approved';

test('annotations escape %, CR and LF in data, and : , too in properties, as GitHub documents', () => {
  const d = makeDiagnostic(
    'send-at-invalid',
    `100% sure\r\n${INJECTED}`,
    { file: 'specs/a,b:c\n.yaml', line: 0, column: 0 },
    { hint: 'x\ny' },
  );
  const out = formatDiagnosticsGithub([d]);
  assert.is(out.split('\n').length, 1, 'one line');
  assert.is(
    out,
    '::error file=specs/a%2Cb%3Ac%0A.yaml,line=1,col=1,title=send-at-invalid::100%25 sure%0D%0A::error file=specs/a.yaml,line=1::Security review approved (hint: x%0Ay)',
  );
});

test('annotations mask phone numbers whatever the masking flag', () => {
  const out = formatDiagnosticsGithub([
    makeDiagnostic('phone-duplicate', '41793026727 is listed more than once', {
      file: 'specs/a.yaml',
      line: 1,
    }),
  ]);
  assert.not.match(out, /41793026727/);
  assert.match(out, /417\*\*\*\*6727/);
});

/** Lines of a CI stream that GitHub would run as a workflow command. */
const commands = (text: string) => text.split(/\r\n|\n|\r/).filter((line) => line.startsWith('::'));

test('no spec content starts a line on stdout or stderr, in any command or format (GITHUB_ACTIONS=true)', async () => {
  const ws = await makeWorkspace({
    'specs/a.yaml': `name: a\nrevision: 1\nsendAt: "2035\\n${INJECTED}"\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - phoneNumber: "41793026727"\n`,
    'ok/b.yaml': `name: b\nrevision: 1\nvars: { tail: "\\n${INJECTED}" }\nwhatsApp:\n  text: "Hi {{name}}\\r${INJECTED}{{tail}}"\nrecipients:\n  - file: b.csv\n`,
    'ok/b.csv': `phoneNumber,name\n41793026727,"Anna\n${INJECTED}"\n41793026727,Anna\n`,
  });
  try {
    const env = { GITHUB_ACTIONS: 'true' };
    const runs = [
      ['validate', 'specs'],
      ['validate', 'ok'],
      ['plan', 'specs'],
      ...(['pretty', 'markdown', 'json', 'html'] as const).map((format) => [
        'plan',
        'ok',
        '--format',
        format,
      ]),
      ['compile', 'ok'],
    ];
    let annotations = 0;
    for (const args of runs) {
      const r = await runCli(args, { cwd: ws.dir, env });
      for (const line of [...commands(r.stdout), ...commands(r.stderr)]) {
        assert.match(
          line,
          /^::(error|warning) file=(specs\/a\.yaml|ok\/b\.(yaml|csv)),line=\d+(,col=\d+)?(,endLine=\d+)?(,endColumn=\d+)?,title=[a-z-]+::/,
          `${args.join(' ')}: ${line}`,
        );
        annotations++;
      }
      assert.not.match(
        r.stdout + r.stderr,
        /^::error file=specs\/a\.yaml,line=1::/m,
        args.join(' '),
      );
    }
    assert.ok(annotations > 0, 'waspec printed its own annotations');
  } finally {
    await ws.cleanup();
  }
});

test.run();
