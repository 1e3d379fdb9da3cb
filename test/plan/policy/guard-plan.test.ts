// Each guard through buildPlan on real spec files: every test here fails when its guard is removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildRequests } from '../../../src/apply/build-requests.js';
import { messageIdFor } from '../../../src/api/identity.js';
import type { Policy } from '../../../src/config/policy.js';
import { writeFile } from 'node:fs/promises';
import { guardSettingsOf } from '../../../src/plan/plan-settings.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { buildPlan, type BuildPlanOptions } from '../../../src/plan/build-plan.js';
import { changeLines } from '../../helpers/plan-changes.js';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { openFileStateStore } from '../../../src/state/file-state.js';
import type { JournalRecord } from '../../../src/state/types.js';
import { fileSuppressionSource } from '../../../src/suppressions/file-suppressions.js';
import type { SuppressionSource } from '../../../src/suppressions/types.js';
import { makeWorkspace } from '../../helpers/cli.js';
import { inFlight, outcome } from '../../state/records.js';

const A = '41793026727';
const B = '41780000001';
const C = '41780000002';

function spec(name: string, phones: string[], extra = ''): Record<string, string> {
  const recipients = phones.map((p) => `  - { phoneNumber: "${p}" }`).join('\n');
  return {
    [`specs/${name}.yaml`]: `name: ${name}\nrevision: 1\n${extra}whatsApp:\n  text: "Hello from ${name}"\nrecipients:\n${recipients}\n`,
  };
}

async function plan(
  files: Record<string, string>,
  options: Partial<BuildPlanOptions> & { records?: JournalRecord[] },
  fn: (plan: Plan, dir: string) => Promise<void> | void,
): Promise<void> {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const store = openFileStateStore(join(dir, '.waspec'));
    if (options.records) await store.append(options.records);
    const { records: _records, ...rest } = options;
    await fn(await buildPlan({ paths: [join(dir, 'specs')], store, ...rest }), dir);
  } finally {
    await cleanup();
  }
}

/** Why an entry is held, or the sendAt it was moved to. */
const detail = (e: PlanEntry) =>
  'hold' in e ? e.hold.reason : 'shift' in e ? (e.shift?.sendAt ?? '') : '';
const actions = (p: Plan) => p.entries.map((e) => [e.spec, e.phoneNumber, e.action, detail(e)]);
const id = (name: string, phone: string) => messageIdFor(name, 1, phone);

test('suppression: a listed number is suppressed with its reason, even when rejected or in doubt and asked to be sent again', async () => {
  const files = {
    ...spec('promo', [A, B, C]),
    'stop.csv': `phoneNumber,reason,date\n+41 78 000 00 01,replied STOP,2026-01-02\n`,
    'stop.ndjson': `{"phoneNumber":"0041780000002","reason":"complaint"}\n`,
  };
  const records = [
    inFlight('B1', '2026-01-01T00:00:00.000Z', [
      { messageId: id('promo', B), spec: 'promo', phoneNumber: B, contentHash: 'x' },
    ]),
    outcome('B1', '2026-01-01T00:00:01.000Z', [
      { messageId: id('promo', B), outcome: 'rejected', statusName: 'REJECTED_DESTINATION' },
    ]),
    inFlight('B2', '2026-01-01T00:00:00.000Z', [
      { messageId: id('promo', C), spec: 'promo', phoneNumber: C, contentHash: 'x' },
    ]),
  ];
  await plan(files, { records, retryRejected: true, resendInDoubt: true }, async (p, root) => {
    assert.equal(p.summary.send, 3, 'without a list, all three are sent');
    const listed = await buildPlan({
      paths: [join(root, 'specs')],
      store: openFileStateStore(join(root, '.waspec')),
      retryRejected: true,
      resendInDoubt: true,
      suppressions: [fileSuppressionSource([join(root, 'stop.csv'), join(root, 'stop.ndjson')])],
    });
    assert.equal(actions(listed), [
      ['promo', A, 'send', ''],
      ['promo', B, 'suppressed', 'replied STOP, 2026-01-02'],
      ['promo', C, 'suppressed', 'complaint'],
    ]);
    assert.is(listed.summary.suppressed, 2);
    assert.equal(
      buildRequests(listed).flatMap((r) => r.body.destinations.map((d) => d.to.phoneNumber)),
      [A],
    );
    assert.equal(
      listed.inputs.files
        .filter((f) => f.kind === 'suppressions')
        .map((f) => f.path.split('/').pop()),
      ['stop.csv', 'stop.ndjson'],
    );
  });
});

test("suppression: the config's files must lie under its folder or the current directory; allowOutside lets one in; problems point at the config's line", async () => {
  const files = {
    ...Object.fromEntries(Object.entries(spec('promo', [A, B])).map(([k, v]) => [`ws/${k}`, v])),
    'ws/waspec.config.yaml': 'suppressions:\n  - lists/stop.csv\n  - ../shared/stop.csv\n',
    'ws/lists/stop.csv': `phoneNumber\n${A}\n`,
    'shared/stop.csv': `phoneNumber\n${B}\n`,
  };
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const ws = join(dir, 'ws');
    const planWith = async (configText?: string) => {
      if (configText) await writeFile(join(ws, 'waspec.config.yaml'), configText);
      const config = await loadConfig({ cwd: ws, env: {} });
      return buildPlan({
        paths: [join(ws, 'specs')],
        store: openFileStateStore(join(ws, '.waspec')),
        ...guardSettingsOf(config),
      });
    };
    const confined = await planWith();
    assert.equal(
      confined.diagnostics.map((d) => [d.code, d.file, d.line, d.column]),
      [['file-outside-workspace', 'waspec.config.yaml', 2, 4]],
    );
    assert.equal(
      actions(confined).map((a) => a[2]),
      ['suppressed', 'send'],
    );
    const allowed = await planWith(
      'suppressions: [lists/stop.csv, ../shared/stop.csv]\nprofiles:\n  default: { allowOutside: [../shared] }\n',
    );
    assert.equal(allowed.diagnostics, []);
    assert.equal(
      actions(allowed).map((a) => a[2]),
      ['suppressed', 'suppressed'],
    );
  } finally {
    await cleanup();
  }
});

test('suppression: a missing suppression file is an error, so nothing is sent without the list', async () => {
  await plan(spec('promo', [A]), {}, async (_p, root) => {
    const p = await buildPlan({
      paths: [join(root, 'specs')],
      store: openFileStateStore(join(root, '.waspec')),
      suppressions: [fileSuppressionSource([join(root, 'gone.csv')])],
    });
    assert.equal(
      p.diagnostics.map((d) => [d.code, d.severity]),
      [['suppressions-file-not-found', 'error']],
    );
  });
});

const NOW = new Date('2026-03-10T12:00:00Z');
const capPolicy: Policy = {
  maxPerRecipient: { count: 1, per: '24h', perMs: 86_400_000, scope: 'marketing' },
};

test('frequency cap: across specs by priority then name; the state window counts; other categories do not', async () => {
  const files = {
    ...spec('a-promo', [A, B], 'category: marketing\n'),
    ...spec('b-promo', [A, B, C], 'category: marketing\npriority: 5\n'),
    ...spec('c-promo', [A], 'category: marketing\n'),
    ...spec('receipt', [A], 'category: service\n'),
    ...spec('hello', [A]),
    ...spec('old', [C], 'category: marketing\n'),
  };
  const sent = (spec: string, phone: string, at: string): JournalRecord[] => [
    inFlight(`${spec}${phone}`, at, [
      { messageId: id(spec, phone), spec, phoneNumber: phone, contentHash: 'h' },
    ]),
    outcome(`${spec}${phone}`, at, [
      { messageId: id(spec, phone), outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
    ]),
  ];
  // B got one marketing message 2 hours ago; C one 25 hours ago (outside the window).
  const records = [
    ...sent('old', B, '2026-03-10T10:00:00.000Z'),
    ...sent('old', C, '2026-03-09T11:00:00.000Z'),
  ];
  await plan(files, { records, policy: capPolicy, now: NOW }, (p) => {
    const sends = p.entries
      .filter((e) => e.action === 'send')
      .map((e) => `${e.spec}:${e.phoneNumber}`);
    assert.equal(sends, [`b-promo:${A}`, `b-promo:${C}`, `hello:${A}`, `receipt:${A}`]);
    const capped = p.entries
      .filter((e) => e.action === 'capped')
      .map((e) => `${e.spec}:${e.phoneNumber}:${detail(e)}`);
    assert.equal(capped, [
      `a-promo:${A}:at most 1 marketing per 24h; b-promo takes precedence`,
      `a-promo:${B}:at most 1 marketing per 24h; 1 already received`,
      `b-promo:${B}:at most 1 marketing per 24h; 1 already received`,
      `c-promo:${A}:at most 1 marketing per 24h; b-promo takes precedence`,
    ]);
    assert.is(p.summary.capped, 4);
  });
});

test('size guards: maxRecipients and maxMessagesPerApply are errors naming the spec and number, unless --allow-large N covers it', async () => {
  const files = { ...spec('big', [A, B, C], 'maxRecipients: 2\n'), ...spec('small', [A]) };
  await plan(files, {}, (p) => {
    assert.equal(
      p.diagnostics.map((d) => [d.code, d.severity, d.message, d.line]),
      [['plan-too-large', 'error', 'spec big would send 3 messages, over its limit of 2', 2]],
    );
    assert.is(p.diagnostics[0]?.hint, 'if 3 is intended, approve that size: --allow-large 3');
  });
  await plan(files, { allowLarge: 3 }, (p) => {
    assert.equal(p.diagnostics, []);
    assert.is(p.options.allowLarge, 3);
  });
  await plan(files, { allowLarge: 3, policy: { maxMessagesPerApply: 3 } }, (p) => {
    assert.equal(
      p.diagnostics.map((d) => d.message),
      ['this apply would send 4 messages, more than --allow-large 3 approves (limit 3)'],
    );
  });
  await plan(files, { allowLarge: 4, policy: { maxMessagesPerApply: 3 } }, (p) =>
    assert.equal(p.diagnostics, []),
  );
});

test('quiet hours: held in the recipient zone, or moved to the next allowed minute; the moved sendAt is what apply sends', async () => {
  // 22:30 in Zurich (UTC+1 in March), 17:30 in New York.
  const now = new Date('2026-03-05T21:30:00Z');
  const files = spec('promo', [A, '12125550100']);
  await plan(
    files,
    { now, policy: { quietHours: { from: '21:00', to: '08:00', mode: 'hold' } } },
    (p) => {
      assert.equal(actions(p), [
        ['promo', A, 'quiet-hours', 'quiet hours 21:00–08:00 in Europe/Zurich'],
        // The US spans Honolulu to New York: 11:30 in Honolulu, 17:30 in New York, both allowed.
        ['promo', '12125550100', 'send', ''],
      ]);
      assert.is(p.summary['quiet-hours'], 1);
    },
  );
  await plan(
    files,
    { now, policy: { quietHours: { from: '21:00', to: '08:00', mode: 'shift' } } },
    async (p, root) => {
      assert.equal(actions(p), [
        ['promo', A, 'send', '2026-03-06T07:00:00Z'],
        ['promo', '12125550100', 'send', ''],
      ]);
      const bodies = buildRequests(p).map(
        (r) =>
          `${r.body.destinations.map((d) => d.to.phoneNumber).join(',')} at ${r.body.sendAt ?? 'once'}`,
      );
      assert.equal(bodies.sort(), ['12125550100 at once', `${A} at 2026-03-06T07:00:00Z`]);
      // Once sent, the moved message is unchanged, not drift: the state keeps the spec's content hash.
      const store = openFileStateStore(join(root, '.waspec'));
      const entry = p.entries.at(0);
      if (entry?.action !== 'send') throw new Error('the first entry is a send');
      await store.append([
        inFlight('S', '2026-03-05T21:30:01.000Z', [
          {
            messageId: entry.messageId,
            spec: 'promo',
            phoneNumber: A,
            contentHash: entry.contentHash,
          },
        ]),
        outcome('S', '2026-03-05T21:30:02.000Z', [
          { messageId: entry.messageId, outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
        ]),
      ]);
      const again = await buildPlan({
        paths: [join(root, 'specs')],
        store,
        now: new Date('2026-03-06T09:00:00Z'),
        policy: { quietHours: { from: '21:00', to: '08:00', mode: 'shift' } },
      });
      assert.is(again.entries.at(0)?.action, 'unchanged');
    },
  );
});

/** A suppression source that is not a file (as the database table is), with a digest of its rows. */
function tableSource(rows: Map<string, string>): SuppressionSource {
  return {
    location: 'table suppression (workspace test)',
    files: [],
    read: async () => ({
      numbers: new Map([...rows].map(([n, reason]) => [n, { source: 'table', reason }])),
      diagnostics: [],
      digest: createHash('sha256')
        .update(JSON.stringify([...rows].sort()))
        .digest('hex'),
    }),
  };
}

test('suppression: a source that is not a file is recorded by digest; a saved plan is stale when it changes', async () => {
  const rows = new Map([[B, 'replied STOP']]);
  const source = tableSource(rows);
  await plan(spec('promo', [A, B, C]), { suppressions: [source] }, async (p, root) => {
    assert.equal(
      actions(p).map((a) => a[2]),
      ['send', 'suppressed', 'send'],
    );
    assert.equal(
      p.inputs.suppressions?.map((d) => d.location),
      ['table suppression (workspace test)'],
    );
    const store = openFileStateStore(join(root, '.waspec'));
    const current = { policy: {}, at: new Date(), suppressions: [source] };
    assert.equal(await changeLines(p, store, current), []);
    rows.set(C, 'complaint');
    assert.equal(await changeLines(p, store, current), [
      'suppression list changed since the plan was made: table suppression (workspace test)',
    ]);
    assert.equal(
      await changeLines({ ...p, inputs: { ...p.inputs, suppressions: [] } }, store, current),
      ['suppression list added since the plan was made: table suppression (workspace test)'],
    );
  });
});

test('quiet hours: a saved plan of immediate sends applied when they would arrive in quiet hours is stale', async () => {
  const policy: Policy = { quietHours: { from: '21:00', to: '08:00', mode: 'hold' } };
  await plan(
    spec('promo', [A]),
    { now: new Date('2026-03-05T12:00:00Z'), policy },
    async (p, root) => {
      assert.is(p.summary.send, 1);
      const store = openFileStateStore(join(root, '.waspec'));
      assert.equal(
        await changeLines(p, store, { policy, at: new Date('2026-03-05T19:59:00Z') }),
        [],
      );
      assert.equal(await changeLines(p, store, { policy, at: new Date('2026-03-05T20:00:00Z') }), [
        '1 message would now arrive in quiet hours (21:00–08:00)',
      ]);
    },
  );
});

test.run();
