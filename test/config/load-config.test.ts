import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, requireSendConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { makeWorkspace } from '../helpers/cli.js';

const file = `profile: default
profiles:
  default: { baseUrl: "http://127.0.0.1:8787/", appKey: file-key, concurrency: 2, stateDir: state-from-file }
  production: { baseUrl: "https://service.example.com", appKey: prod-key, rateLimit: 50 }
`;

test('profile < environment < flags; secrets only from the environment', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'waspec.config.yaml': file });
  try {
    const fromFile = await loadConfig({ cwd: dir, env: {} });
    assert.is(fromFile.baseUrl, 'http://127.0.0.1:8787');
    assert.is(fromFile.concurrency, 2);
    assert.is(fromFile.batchSize, 100);
    assert.is(fromFile.appSecret, undefined);
    const production = await loadConfig({
      cwd: dir,
      env: { WASPEC_PROFILE: 'production', WASPEC_APP_SECRET: 's3cret' },
    });
    assert.is(production.appKey, 'prod-key');
    assert.is(production.rateLimit, 50);
    assert.is(production.appSecret, 's3cret');
    const overridden = await loadConfig({
      cwd: dir,
      env: { WASPEC_CONCURRENCY: '8', WASPEC_APP_KEY: 'env-key' },
      flags: { concurrency: 3 },
    });
    assert.is(overridden.concurrency, 3);
    assert.is(overridden.appKey, 'env-key');
  } finally {
    await cleanup();
  }
});

interface Problem {
  code: string;
  line?: number;
  column?: number;
  message: string;
}

async function problemsOf(
  text: string,
  options: { profile?: string } = {},
): Promise<{ error: ConfigError; problems: Problem[] }> {
  const { dir, cleanup } = await makeWorkspace({ 'waspec.config.yaml': text });
  try {
    const error = await loadConfig({ cwd: dir, env: {}, ...options }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, ConfigError);
    const config = error as ConfigError;
    return {
      error: config,
      problems: config.diagnostics.map((d) => ({
        code: d.code,
        line: d.line,
        column: d.column,
        message: d.message,
      })),
    };
  } finally {
    await cleanup();
  }
}

test('a secret, an unknown key or an unknown profile in the config file is a diagnostic with its line and column', async () => {
  const cases: Array<[string, string, number | undefined, number | undefined, RegExp]> = [
    [
      'profiles:\n  default:\n    appKey: k\n    appSecret: nope\n',
      'config-secret',
      3,
      4,
      /'appSecret' looks like a secret/,
    ],
    ['profiles:\n  default: { colour: red }\n', 'config-invalid', 1, 13, /unknown field 'colour'/],
    [
      'profiles:\n  default: { concurrency: -1 }\n',
      'config-invalid',
      1,
      26,
      /concurrency must be > 0/,
    ],
    [
      'profile: staging\nprofiles:\n  default: {}\n',
      'config-invalid',
      0,
      9,
      /no profile named 'staging'/,
    ],
    ['profiles:\n  default: {\n', 'config-invalid', 2, 0, /./],
  ];
  for (const [text, code, line, column, pattern] of cases) {
    const { error, problems } = await problemsOf(text);
    const found = problems.find(
      (p) => p.code === code && p.line === line && p.column === column && pattern.test(p.message),
    );
    assert.ok(
      found,
      `${text}: expected ${code} at ${String(line)}:${String(column)}, got ${JSON.stringify(problems)}`,
    );
    // Positions are data, not text in the message.
    assert.not.match(error.message, /:\d+:\d+/);
    assert.not.match(JSON.stringify(problems), /nope/);
  }
});

test('a secret-like key in a profile that is not selected is refused too', async () => {
  const text =
    'profile: default\nprofiles:\n  default: { appKey: k }\n  prod:\n    appKey: k\n    appSecret: SEKRET123xyz\n';
  const { problems } = await problemsOf(text);
  assert.equal(
    problems.map((p) => [p.code, p.line, p.column]),
    [['config-secret', 5, 4]],
  );
  assert.not.match(JSON.stringify(problems), /SEKRET/);
});

test('a config path that is /dev/zero, a FIFO or a directory is refused at once, without reading it', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'folder/x': '' });
  try {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    for (const configFile of ['/dev/zero', join(dir, 'fifo.yaml'), join(dir, 'folder')]) {
      const error = await loadConfig({ cwd: dir, env: {}, configFile }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.instance(error, ConfigError, configFile);
      assert.equal(
        (error as ConfigError).diagnostics.map((d) => d.code),
        ['file-not-regular'],
        configFile,
      );
    }
  } finally {
    await cleanup();
  }
});

test('allowOutside in a profile is resolved against the config file', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'waspec.config.yaml': 'profiles:\n  default: { allowOutside: [../shared] }\n',
  });
  try {
    const config = await loadConfig({ cwd: dir, env: {}, flags: { allowOutside: ['lists'] } });
    assert.equal(config.allowOutside, [join(dir, 'lists'), join(dir, '..', 'shared')]);
  } finally {
    await cleanup();
  }
});

test('apply names every missing setting', async () => {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    const config = await loadConfig({ cwd: dir, env: {} });
    assert.throws(
      () => requireSendConfig(config),
      /WASPEC_BASE_URL[\s\S]*WASPEC_APP_KEY[\s\S]*WASPEC_TOKEN or WASPEC_APP_SECRET/,
    );
  } finally {
    await cleanup();
  }
});

test('policy and suppressions: read with durations, times and paths relative to the config; mistakes refused with their line', async () => {
  const text = `suppressions: [lists/stop.csv, ../shared/complaints.ndjson]
policy:
  maxPerRecipient: { count: 1, per: 24h, scope: marketing }
  maxMessagesPerApply: 50000
  quietHours: { from: "21:00", to: "08:00", mode: shift }
  breaker: { window: 500, maxRejectedShare: 0.1 }
`;
  const { dir, cleanup } = await makeWorkspace({ 'ops/waspec.config.yaml': text });
  try {
    const config = await loadConfig({ cwd: dir, configFile: 'ops/waspec.config.yaml', env: {} });
    assert.equal(config.policy, {
      maxPerRecipient: { count: 1, per: '24h', perMs: 86_400_000, scope: 'marketing' },
      maxMessagesPerApply: 50000,
      quietHours: { from: '21:00', to: '08:00', mode: 'shift' },
      breaker: { window: 500, minAnswers: 20, maxRejectedShare: 0.1, maxFailedShare: 0.2 },
    });
    assert.equal(config.suppressions, [
      `${dir}/ops/lists/stop.csv`,
      `${dir}/shared/complaints.ndjson`,
    ]);
    const none = await loadConfig({ cwd: dir, env: {} });
    assert.equal([none.policy, none.suppressions], [{}, []]);
  } finally {
    await cleanup();
  }
  const cases: Array<[string, number, number, RegExp]> = [
    [
      'policy:\n  maxPerRecipient: { count: 1, per: a day }\n',
      1,
      36,
      /policy.maxPerRecipient.per must be a duration/,
    ],
    [
      'policy:\n  maxPerRecipient: { count: 0, per: 1d }\n',
      1,
      28,
      /policy.maxPerRecipient.count must be a whole number/,
    ],
    [
      'policy:\n  quietHours: { from: "9pm", to: "08:00" }\n',
      1,
      22,
      /policy.quietHours.from must be a time/,
    ],
    [
      'policy:\n  quietHours: { from: "21:00", to: "08:00", mode: skip }\n',
      1,
      50,
      /mode must be hold or shift/,
    ],
    ['policy:\n  maxPerApply: 3\n', 1, 2, /unknown key 'maxPerApply' in policy/],
    [
      'policy:\n  breaker: { maxRejectedShare: 20% }\n',
      1,
      31,
      /policy.breaker.maxRejectedShare must be a share from 0 to 1/,
    ],
    ['policy:\n  breaker: { size: 10 }\n', 1, 13, /unknown key 'size' in policy.breaker/],
    ['policy:\n  breaker: on\n', 1, 11, /policy.breaker must be off, or a mapping/],
    ['suppressions: { file: a.csv }\n', 0, 14, /suppressions must be a file path or a list/],
    [
      'suppressions:\n  - a.csv\n  - lists/stop.txt\n',
      2,
      4,
      /suppression file lists\/stop\.txt is not \.csv, \.ndjson or \.jsonl/,
    ],
    [
      'policy:\n  maxPerRecipient: { count: 1, per: 24h, scope: Marketing }\n',
      1,
      48,
      /scope must be a category name as specs write it/,
    ],
    ['policy:\n  maxPerRecipient: { count: 1, per: 0h }\n', 1, 36, /per must be/],
    ['policy:\n  maxMessagesPerApply: 1.5\n', 1, 23, /maxMessagesPerApply must be a whole number/],
    ['policy:\n  quietHours: { from: "21:00" }\n', 1, 14, /policy.quietHours.to must be a time/],
    ['policy: [1]\n', 0, 8, /policy must be a mapping/],
  ];
  const schema = new Ajv2020({ allErrors: true, strict: false }).compile(
    JSON.parse(await readFile('schemas/config.schema.json', 'utf8')) as object,
  );
  assert.ok(
    schema(parse(text)),
    `the schema accepts what waspec accepts: ${JSON.stringify(schema.errors)}`,
  );
  for (const [bad, line, column, pattern] of cases) {
    const { problems } = await problemsOf(bad);
    assert.ok(
      problems.some(
        (p) =>
          p.code === 'config-invalid' &&
          p.line === line &&
          p.column === column &&
          pattern.test(p.message),
      ),
      `${bad}: expected ${String(pattern)} at ${line}:${column}, got ${JSON.stringify(problems)}`,
    );
    // The schema (for editors) and waspec's own check refuse the same values.
    assert.not.ok(schema(parse(bad)), `the schema accepts ${bad}`);
  }
});

test('a problem in policy: is reported with those elsewhere in the config, in one run', async () => {
  const { problems } = await problemsOf(
    'profiles:\n  default: { colour: red }\npolicy:\n  maxMessagesPerApply: 0\n',
  );
  assert.equal(
    problems.map((p) => [p.line, p.column]),
    [
      [1, 13],
      [3, 23],
    ],
  );
});

test('templates: names the catalogue relative to the config file, at the top level or per profile (which wins)', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'ci/waspec.config.yaml':
      'templates: approved.yaml\nprofiles:\n  default: {}\n  de:\n    templates: ../de/templates.yaml\n',
  });
  try {
    const top = await loadConfig({ cwd: dir, env: {}, configFile: 'ci/waspec.config.yaml' });
    assert.equal(top.templates?.path, join(dir, 'ci/approved.yaml'));
    assert.equal(top.templates?.at, { file: 'ci/waspec.config.yaml', line: 0, column: 11 });
    const de = await loadConfig({
      cwd: dir,
      env: {},
      configFile: 'ci/waspec.config.yaml',
      profile: 'de',
    });
    assert.equal(de.templates?.path, join(dir, 'de/templates.yaml'));
    assert.equal(de.templates?.at, { file: 'ci/waspec.config.yaml', line: 4, column: 15 });
    const none = await loadConfig({ cwd: dir, env: {} });
    assert.is(none.templates, undefined);
    const allowed = await loadConfig({
      cwd: dir,
      env: {},
      configFile: 'ci/waspec.config.yaml',
      flags: { allowOutside: ['../shared'] },
    });
    assert.equal(
      allowed.templates?.roots,
      [join(dir, 'ci'), dir, join(dir, '../shared')],
      'it may lie where suppression files may',
    );
  } finally {
    await cleanup();
  }
});

test.run();
