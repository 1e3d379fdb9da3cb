import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/server.js';
import { varsOf, type Plan } from '../../src/plan/types.js';
import { maskPhone } from '../../src/diagnostics/mask-phone.js';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import { renderPreviewPage } from '../../src/report/render-page.js';
import { startPreviewServer } from '../../src/preview/server.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';
import { swissNumbers, textSpec } from '../helpers/specs.js';

function emptyPlan(): Plan {
  return {
    formatVersion: 1,
    createdAt: '',
    specs: [],
    contents: {},
    entries: [],
    summary: summarizeEntries([]),
    inputs: { files: [], state: { location: '', sha256: '' } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [],
  };
}

test('plan --out holds no full number; apply of it sends exactly the planned messages; a changed recipient file or a tampered plan is refused', async () => {
  const phones = swissNumbers(5);
  const files = textSpec('hello', phones, 'Hi {{name}}, call 41791112233');
  const { dir, cleanup } = await makeWorkspace(files);
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    // A duplicate row so the plan carries a diagnostic that quotes a number.
    await writeFile(
      join(dir, 'specs/hello.csv'),
      `${files['specs/hello.csv'] ?? ''}${phones[0] ?? ''},Person 0\n`,
    );
    const made = await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env });
    assert.is(made.code, 0, made.stderr);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    for (const phone of phones) {
      assert.not.ok(text.includes(phone), `plan.json holds ${phone}`);
      assert.ok(text.includes(maskPhone(phone)), `plan.json names ${maskPhone(phone)}`);
    }
    const saved = JSON.parse(text) as Plan;
    assert.ok(
      saved.diagnostics.some((d) => d.code === 'phone-duplicate'),
      'the duplicate warning is kept, masked',
    );
    const planned = saved.entries
      .filter((e) => e.action === 'send')
      .map((e) => e.messageId)
      .sort();
    assert.is(planned.length, 5);

    // A plan whose entry was pointed at another number is refused.
    const tampered = structuredClone(saved);
    const [first, second] = tampered.entries;
    if (first && second) first.phoneNumber = second.phoneNumber;
    await writeFile(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const refusedTamper = await runCli(['apply', 'tampered.json'], { cwd: dir, env });
    assertNoStackTrace(refusedTamper);
    assert.is.not(refusedTamper.code, 0);
    assert.match(refusedTamper.stderr, /goes to another number/);
    assert.is(emulator.stats().requests, 0);

    // A recipient file changed since the plan: refused.
    const csv = join(dir, 'specs/hello.csv');
    const original = await readFile(csv, 'utf8');
    await writeFile(csv, original.replace('Person 1', 'Person One'));
    const refused = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is.not(refused.code, 0);
    assert.match(
      refused.stderr,
      /recipient file edited since the plan was made: specs\/hello\.csv/,
    );
    assert.is(emulator.stats().requests, 0);

    await writeFile(csv, original);
    const applied = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assert.is(applied.code, 0, applied.stderr);
    assert.is(emulator.stats().uniqueMessageIds, 5);
    assert.is(emulator.stats().duplicates, 0);
    // What was sent, as the state recorded it: the planned messageIds, to the full numbers.
    const after = JSON.parse(
      (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
    ) as Plan;
    assert.equal(
      after.entries.map((e) => e.action),
      Array(5).fill('unchanged'),
    );
    assert.equal(after.entries.map((e) => e.messageId).sort(), planned);
    assert.equal(after.entries.map((e) => e.phoneNumber).sort(), [...phones].sort());
  } finally {
    await emulator.close();
    await cleanup();
  }
});

// Names and a city per recipient: what a saved plan must not hold.
const people = swissNumbers(4, 5000000).map((phone, i) => ({
  phone,
  name: ['Anna Keller', 'Bruno Meier', 'Chiara Rossi', 'Dario Frei'][i] ?? '',
  city: ['Zug', 'Chur', 'Sion', 'Thun'][i] ?? '',
}));
const personal = {
  'specs/hello.yaml':
    'name: hello\nrevision: 1\nbatchSize: 2\nwhatsApp: { text: "Hello {{name}} from {{city}}" }\nrecipients:\n  - file: hello.csv\n',
  'specs/hello.csv': `phoneNumber,name,city\n${people.map((p) => `${p.phone},${p.name},${p.city}`).join('\n')}\n`,
};

/** Sends on a fresh state (from the specs, or from a saved plan made just before) and returns the request bodies the emulator received. */
async function sentBodies(dir: string, args: string[]): Promise<string[]> {
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    await rm(join(dir, '.waspec'), { recursive: true, force: true });
    if (args[0] === 'plan.json')
      assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env })).code, 0);
    const apply = await runCli(['apply', ...args], { cwd: dir, env });
    assert.is(apply.code, 0, apply.stdout + apply.stderr);
    return emulator.requestBodies().sort();
  } finally {
    await emulator.close();
  }
}

test('a saved plan of a personalised spec holds no name, variable value or full number; apply of it sends the same bodies as apply --yes', async () => {
  const { dir, cleanup } = await makeWorkspace(personal);
  try {
    const direct = await sentBodies(dir, ['--yes']);
    assert.is(direct.length, 4, 'one request per distinct text');
    assert.ok(
      direct.some((b) => b.includes('Hello Anna Keller from Zug')),
      'the bodies are personalised',
    );
    const fromPlan = await sentBodies(dir, ['plan.json']);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    for (const p of people) {
      for (const value of [p.phone, p.name, p.city])
        assert.not.ok(text.includes(value), `plan.json holds ${value}`);
    }
    const saved = JSON.parse(text) as Plan;
    assert.is(saved.private, true);
    assert.equal(saved.contents, {});
    assert.equal(
      saved.specs[0]?.shape?.fields,
      { '/whatsApp/text': 'Hello {{name}} from {{city}}' },
      'the message as written stays',
    );
    assert.equal(fromPlan, direct, 'the saved plan sends byte for byte what apply --yes sends');
  } finally {
    await cleanup();
  }
});

test('show restores the texts of a saved plan where its files are, unchanged; elsewhere it shows the shape and says the texts are absent', async () => {
  const { dir, cleanup } = await makeWorkspace(personal);
  const away = await mkdtemp(join(tmpdir(), 'waspec-away-'));
  try {
    assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd: dir })).code, 0);
    const here = await runCli(['show', 'plan.json', '--format', 'json'], { cwd: dir });
    assert.is(here.code, 0, here.stderr);
    const restored = JSON.parse(here.stdout) as Plan;
    assert.equal(
      Object.values(restored.contents)
        .map((c) => c.whatsApp.text)
        .sort(),
      people.map((p) => `Hello ${p.name} from ${p.city}`).sort(),
    );
    const anna = restored.entries.find((e) => e.phoneNumber === maskPhone(people[0]?.phone ?? ''));
    assert.is(anna && varsOf(anna, restored.variables)?.name, 'Anna Keller');
    assert.not.match(here.stderr, /no message texts/);
    const pretty = await runCli(['show', 'plan.json'], { cwd: dir });
    assert.match(pretty.stdout, /Anna Keller/);

    await copyFile(join(dir, 'plan.json'), join(away, 'plan.json'));
    const elsewhere = await runCli(['show', 'plan.json'], { cwd: away });
    assert.is(elsewhere.code, 0, elsewhere.stderr);
    assert.match(
      elsewhere.stderr,
      /a saved plan holds no message texts.*spec removed since the plan was made: specs\/hello\.yaml/,
    );
    assert.match(elsewhere.stdout, /Hello \{\{name\}\} from \{\{city\}\}/);
    assert.match(elsewhere.stdout, /4 to send/);
    // Values are not in a saved plan: said once, never shown as blank values.
    assert.is(
      elsewhere.stdout.split(
        'values are not kept in a saved plan; run show next to the specs to see them',
      ).length - 1,
      1,
      elsewhere.stdout,
    );
    assert.not.match(elsewhere.stdout, /\(empty\)/);
    const markdown = await runCli(['show', 'plan.json', '--format', 'markdown'], { cwd: away });
    assert.match(markdown.stdout, /values are not kept in a saved plan/);
    assert.not.match(markdown.stdout, /\(empty\)/);
    assert.not.match(pretty.stdout, /values are not kept/);
    for (const p of people)
      assert.not.ok(elsewhere.stdout.includes(p.name), `${p.name} shown without the files`);
    // The plan's file paths are untrusted: the note shows their control characters escaped.
    const saved = JSON.parse(await readFile(join(away, 'plan.json'), 'utf8')) as Plan;
    for (const f of saved.inputs.files) f.path = `${f.path}\u001b[2J\u202E`;
    await writeFile(join(away, 'hostile.json'), JSON.stringify(saved));
    const hostile = await runCli(['show', 'hostile.json'], { cwd: away });
    assert.is(hostile.code, 0, hostile.stderr);
    assert.not.match(hostile.stderr, /[\u001b\u202e]/);
    assert.match(hostile.stderr, 'specs/hello.yaml\\e[2J\\u{202E}');

    // An edited recipient file: show does not take texts from it.
    await writeFile(
      join(dir, 'specs/hello.csv'),
      personal['specs/hello.csv'].replace('Anna Keller', 'Anna Muster'),
    );
    const edited = await runCli(['show', 'plan.json'], { cwd: dir });
    assert.match(edited.stderr, /recipient file edited since the plan was made: specs\/hello\.csv/);
    assert.not.match(edited.stdout, /Anna/);
  } finally {
    await rm(away, { recursive: true, force: true });
    await cleanup();
  }
});

test('apply refuses a saved plan whose recipient file was tampered with, or whose content hash was changed', async () => {
  const { dir, cleanup } = await makeWorkspace(personal);
  const emulator = await startEmulator();
  const env = {
    WASPEC_BASE_URL: emulator.url,
    WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
    WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
  };
  try {
    assert.is((await runCli(['plan', '--out', 'plan.json'], { cwd: dir, env })).code, 0);
    const saved = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as Plan;
    const [first, second] = saved.entries;
    if (first?.action === 'send' && second?.action === 'send')
      first.contentHash = second.contentHash;
    await writeFile(join(dir, 'tampered.json'), JSON.stringify(saved));
    const tampered = await runCli(['apply', 'tampered.json'], { cwd: dir, env });
    assertNoStackTrace(tampered);
    assert.is.not(tampered.code, 0);
    assert.match(tampered.stderr, /has other content/);

    const csv = join(dir, 'specs/hello.csv');
    await writeFile(csv, personal['specs/hello.csv'].replace('Anna Keller', 'Anna Muster'));
    const refused = await runCli(['apply', 'plan.json'], { cwd: dir, env });
    assertNoStackTrace(refused);
    assert.is.not(refused.code, 0);
    assert.match(
      refused.stderr,
      /recipient file edited since the plan was made: specs\/hello\.csv/,
    );
    assert.is(emulator.stats().requests, 0);
  } finally {
    await emulator.close();
    await cleanup();
  }
});

test('plan --format html --mask masks numbers in diagnostics too', async () => {
  const { dir, cleanup } = await makeWorkspace(textSpec('hello', ['41793026727', '41793026727']));
  try {
    const r = await runCli(['plan', '--format', 'html', '--mask'], {
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true' },
    });
    assert.match(r.stdout, /listed more than once/);
    assert.not.match(r.stdout + r.stderr, /41793026727/);
  } finally {
    await cleanup();
  }
});

test('preview masks numbers in diagnostics', () => {
  const diagnostics = [
    makeDiagnostic(
      'phone-duplicate',
      '41793026727 is listed more than once',
      { file: 'specs/a.csv', line: 2 },
      { severity: 'warning', hint: 'remove 41793026727' },
    ),
  ];
  const page = renderPreviewPage({ plan: { ...emptyPlan(), diagnostics }, diagnostics });
  assert.match(page, /417\*\*\*\*6727 is listed more than once/);
  assert.not.match(page, /41793026727/);
});

test('the preview server masks numbers in the diagnostics it serves (page and JSON)', async () => {
  const server = await startPreviewServer({ port: 0, host: '127.0.0.1' });
  try {
    const diagnostics = [
      makeDiagnostic(
        'phone-duplicate',
        '41793026727 is listed more than once',
        { file: 'specs/a.csv', line: 2 },
        { severity: 'warning' },
      ),
    ];
    server.update({ plan: { ...emptyPlan(), diagnostics }, diagnostics });
    for (const path of ['', 'api/preview']) {
      const body = await (await fetch(`${server.url}${path}`)).text();
      assert.match(body, /417\*\*\*\*6727/, path);
      assert.not.match(body, /41793026727/, path);
    }
  } finally {
    await server.close();
  }
});

test.run();
