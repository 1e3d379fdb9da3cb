import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

// The approved-template catalogue end to end: the built CLI in a workspace whose config names it.
const root = fileURLToPath(new URL('../../', import.meta.url));

const CATALOGUE = `templates:
  - name: reminder
    language: [en_GB, de_DE]
    body: "Hi {{1}}, see you on {{2}}."
  - name: offer
    language: en_GB
    header: { kind: image }
    body: "Hi {{1}}, {{2}} off."
    buttons:
      - { kind: url, text: Offer, url: "https://a.example/{{1}}" }
`;

const GOOD = `name: good
revision: 1
whatsApp:
  templateName: offer
  language: en_GB
  mediaTemplateData:
    header: { imageUrl: "https://cdn.example/a.png" }
    body: { placeholders: ["{{name}}", 20%] }
    buttons: [{ urlPlaceholder: "o/{{code}}" }]
recipients:
  - { phoneNumber: "+41 79 302 67 27", vars: { name: Anna, code: A1 } }
`;

// Wrong against the catalogue in four ways (two counts, no header image, no button value), and a bad phone number: all reported in one run.
const BAD = `name: bad
revision: 1
whatsApp:
  templateName: offer
  language: en_GB
  templateData: [a]
  mediaTemplateData:
    body: { placeholders: [a, b, c] }
recipients:
  - phoneNumber: "+41 79 302 67 28"
  - phoneNumber: "+41 79"
`;

// The language comes from the recipients: checked per rendered language, at the spec's line.
const DYNAMIC = `name: dynamic
revision: 1
whatsApp:
  templateName: reminder
  language: "{{lang}}"
  templateData: ["{{name}}", Monday]
recipients:
  - { phoneNumber: "+41 79 302 67 29", vars: { lang: en_GB, name: Anna } }
  - { phoneNumber: "+41 79 302 67 30", vars: { lang: fr_FR, name: Zoé } }
  - { phoneNumber: "+41 79 302 67 31", vars: { lang: fr_FR, name: Luc } }
`;

interface Printed {
  code: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

async function validate(
  dir: string,
  args: string[],
): Promise<{ code: number | null; diagnostics: Printed[] }> {
  const result = await runCli(['validate', ...args, '--format', 'json'], { cwd: dir });
  assertNoStackTrace(result);
  return {
    code: result.code,
    diagnostics: (JSON.parse(result.stdout) as { diagnostics: Printed[] }).diagnostics,
  };
}

const brief = (d: Printed) => `${d.code}@${d.file ?? ''}:${d.line ?? 0}:${d.column ?? 0}`;

test('validate checks every template message against the catalogue, at the spec lines, with the other errors in one run', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml': 'templates: approved/templates.yaml\n',
    'approved/templates.yaml': CATALOGUE,
    'specs/good.yaml': GOOD,
    'specs/bad.yaml': BAD,
    'specs/dynamic.yaml': DYNAMIC,
  });
  try {
    const { code, diagnostics } = await validate(dir, ['specs']);
    assert.is(code, 1);
    assert.equal(diagnostics.map(brief).sort(), [
      'phone-invalid@specs/bad.yaml:11:18',
      'template-buttons@specs/bad.yaml:8:5',
      'template-header@specs/bad.yaml:8:5',
      'template-language-unknown@specs/dynamic.yaml:5:13',
      'template-parameters@specs/bad.yaml:6:17',
      'template-parameters@specs/bad.yaml:8:27',
    ]);
    const dynamic = diagnostics.find((d) => d.code === 'template-language-unknown');
    assert.match(
      dynamic?.message ?? '',
      /template reminder is not approved in fr_FR, as rendered for the first recipient with it, 41793026730 \(specs\/dynamic\.yaml:9\)/,
    );
    // Without the catalogue nothing changes: the same specs have only their own problem.
    await writeFile(join(dir, 'waspec.config.yaml'), '{}\n');
    assert.equal((await validate(dir, ['specs'])).diagnostics.map(brief), [
      'phone-invalid@specs/bad.yaml:11:18',
    ]);
  } finally {
    await cleanup();
  }
});

test('a broken catalogue is reported at its own lines, beside the specs problems; --config and --profile pick it', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'ci.yaml': 'profiles:\n  default: {}\n  strict: { templates: broken.yaml }\n',
    'broken.yaml': 'templates:\n  - name: offer\n    language: english\n    body: Hi\n',
    'specs/bad.yaml': BAD,
  });
  try {
    assert.equal((await validate(dir, ['specs', '--config', 'ci.yaml'])).diagnostics.map(brief), [
      'phone-invalid@specs/bad.yaml:11:18',
    ]);
    const { code, diagnostics } = await validate(dir, [
      'specs',
      '--config',
      'ci.yaml',
      '--profile',
      'strict',
    ]);
    assert.is(code, 1);
    assert.equal(diagnostics.map(brief), [
      'templates-invalid@broken.yaml:3:15',
      'phone-invalid@specs/bad.yaml:11:18',
    ]);
    await writeFile(join(dir, 'ci.yaml'), 'templates: missing.yaml\n');
    assert.equal(
      (await validate(dir, ['specs', '--config', 'ci.yaml'])).diagnostics.map(brief)[0],
      'file-not-found@ci.yaml:1:12',
    );
  } finally {
    await cleanup();
  }
});

test('plan shows the filled body; a saved plan records the catalogue and is stale once it changes', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml': 'templates: templates.yaml\n',
    'templates.yaml': CATALOGUE,
    'specs/good.yaml': GOOD,
  });
  try {
    const plan = await runCli(['plan', '--format', 'markdown', '--out', 'plan.json'], { cwd: dir });
    assert.is(plan.code, 0, plan.stderr);
    // The message as written, filled into the approved template; the one render as its sample.
    assert.ok(plan.stdout.includes('| body | Hi <code>{{name}}</code>, 20% off. |'), plan.stdout);
    assert.ok(
      plan.stdout.includes('| 1 | Hi Anna, 20% off. | &#91;Offer&#93; https://a.example/o/A1 |'),
    );
    const saved = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as {
      templates: Array<{ name: string }>;
      inputs: { files: Array<{ path: string; kind: string }> };
    };
    assert.equal(
      saved.templates.map((t) => t.name),
      ['offer'],
      'only the templates the plan uses',
    );
    assert.ok(
      saved.inputs.files.some((f) => f.path === 'templates.yaml' && f.kind === 'templates'),
    );
    const show = await runCli(['show', 'plan.json'], { cwd: dir });
    assert.match(show.stdout, /body {9}│ Hi \{\{name\}\}, 20% off\./);
    assert.match(show.stdout, /body: Hi Anna, 20% off\./);
    await writeFile(join(dir, 'templates.yaml'), `${CATALOGUE}    footer: new\n`);
    const apply = await runCli(['apply', 'plan.json'], {
      cwd: dir,
      env: { WASPEC_BASE_URL: 'http://127.0.0.1:9', WASPEC_APP_KEY: 'k', WASPEC_TOKEN: 't' },
    });
    assert.is(apply.code, 1);
    assert.match(
      apply.stderr + apply.stdout,
      /template catalogue edited since the plan was made: templates\.yaml/,
    );
  } finally {
    await cleanup();
  }
});

test('dogfood: the example catalogue fits every template of examples/ and specs/', async () => {
  for (const folder of ['examples', 'specs']) {
    const { code, diagnostics } = await validate(root, [
      folder,
      '--config',
      'examples/waspec.config.yaml',
    ]);
    assert.is(code, 0, JSON.stringify(diagnostics));
    assert.equal(diagnostics, [], folder);
  }
});

test.run();
