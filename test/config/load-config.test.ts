import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, requireSendConfig } from '../../src/config/load-config.js';
import { WaspecError } from '../../src/errors.js';
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
    const production = await loadConfig({ cwd: dir, env: { WASPEC_PROFILE: 'production', WASPEC_APP_SECRET: 's3cret' } });
    assert.is(production.appKey, 'prod-key');
    assert.is(production.rateLimit, 50);
    assert.is(production.appSecret, 's3cret');
    const overridden = await loadConfig({ cwd: dir, env: { WASPEC_CONCURRENCY: '8', WASPEC_APP_KEY: 'env-key' }, flags: { concurrency: 3 } });
    assert.is(overridden.concurrency, 3);
    assert.is(overridden.appKey, 'env-key');
  } finally {
    await cleanup();
  }
});

test('a secret, an unknown key or an unknown profile in the config file is refused with its line', async () => {
  const cases: Array<[string, RegExp]> = [
    ['profiles:\n  default:\n    appKey: k\n    appSecret: nope\n', /waspec.config.yaml:4:5: 'appSecret' looks like a secret/],
    ['profiles:\n  default: { colour: red }\n', /unknown setting 'colour'/],
    ['profiles:\n  default: { concurrency: -1 }\n', /concurrency must be a positive number/],
    ['profile: staging\nprofiles:\n  default: {}\n', /no profile named 'staging'/],
  ];
  for (const [text, pattern] of cases) {
    const { dir, cleanup } = await makeWorkspace({ 'waspec.config.yaml': text });
    try {
      const error = await loadConfig({ cwd: dir, env: {} }).then(() => undefined, (e: unknown) => e);
      assert.instance(error, WaspecError);
      assert.match((error as Error).message, pattern);
      assert.not.match((error as Error).message, /nope/);
    } finally {
      await cleanup();
    }
  }
});

test('apply names every missing setting', async () => {
  const { dir, cleanup } = await makeWorkspace({});
  try {
    const config = await loadConfig({ cwd: dir, env: {} });
    assert.throws(() => requireSendConfig(config), /WASPEC_BASE_URL[\s\S]*WASPEC_APP_KEY[\s\S]*WASPEC_TOKEN or WASPEC_APP_SECRET/);
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
`;
  const { dir, cleanup } = await makeWorkspace({ 'ops/waspec.config.yaml': text });
  try {
    const config = await loadConfig({ cwd: dir, configFile: 'ops/waspec.config.yaml', env: {} });
    assert.equal(config.policy, {
      maxPerRecipient: { count: 1, per: '24h', perMs: 86_400_000, scope: 'marketing' },
      maxMessagesPerApply: 50000,
      quietHours: { from: '21:00', to: '08:00', mode: 'shift' },
    });
    assert.equal(config.suppressions, [`${dir}/ops/lists/stop.csv`, `${dir}/shared/complaints.ndjson`]);
    const none = await loadConfig({ cwd: dir, env: {} });
    assert.equal([none.policy, none.suppressions], [{}, []]);
  } finally {
    await cleanup();
  }
  const cases: Array<[string, RegExp]> = [
    ['policy:\n  maxPerRecipient: { count: 1, per: a day }\n', /:2:37: policy.maxPerRecipient.per must be a duration/],
    ['policy:\n  maxPerRecipient: { count: 0, per: 1d }\n', /policy.maxPerRecipient.count must be a whole number/],
    ['policy:\n  quietHours: { from: "9pm", to: "08:00" }\n', /:2:23: policy.quietHours.from must be a time/],
    ['policy:\n  quietHours: { from: "21:00", to: "08:00", mode: skip }\n', /mode must be hold or shift/],
    ['policy:\n  maxPerApply: 3\n', /:2:3: unknown key 'maxPerApply' in policy/],
    ['suppressions: { file: a.csv }\n', /suppressions must be a file path or a list/],
  ];
  for (const [bad, pattern] of cases) {
    const ws = await makeWorkspace({ 'waspec.config.yaml': bad });
    try {
      await loadConfig({ cwd: ws.dir, env: {} });
      assert.unreachable(`accepted: ${bad}`);
    } catch (error) {
      assert.instance(error, WaspecError);
      assert.match((error as WaspecError).message, pattern);
    } finally {
      await ws.cleanup();
    }
  }
});

test.run();
