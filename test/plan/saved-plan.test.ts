import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privatePlan, readSavedPlan, writeSavedPlan } from '../../src/plan/saved-plan.js';
import { hashFile } from '../../src/plan/hash-file.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { WaspecError } from '../../src/errors.js';
import { contentHashOf, varsOf, type Plan } from '../../src/plan/types.js';
import { maskPlan } from '../../src/plan/plan-json.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { inFlight, outcome } from '../state/records.js';
import { buildFixturePlan } from './fixture-plan.js';
import { changeLines } from '../helpers/plan-changes.js';
import { stateBackends, testEachBackend, withState } from '../helpers/state-backends.js';
import { emptySummary } from '../../src/plan/summarize-plan.js';

const each = testEachBackend(test, await stateBackends());

test('a saved plan reads back equal (numbers masked, no contents or vars) and valid against plan.schema.json', () =>
  withTmpDir(async (dir) => {
    const fixture = await buildFixturePlan(join(dir, 'state'));
    const plan: Plan = {
      ...fixture,
      entries: fixture.entries.map((e, i) =>
        i === 0 && e.action !== 'orphan' ? { ...e, vars: { name: 'Anna' } } : e,
      ),
    };
    assert.ok(Object.keys(plan.contents).length > 0, 'the fixture has contents to leave out');
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    const saved = await readSavedPlan(join(dir, 'plan.json'));
    assert.equal(saved, maskPlan(privatePlan(plan)));
    assert.is(saved.private, true);
    assert.equal(saved.contents, {});
    assert.ok(saved.entries.every((e) => varsOf(e, saved.variables) === undefined));
    assert.equal(
      saved.entries.map(contentHashOf),
      plan.entries.map(contentHashOf),
      'the content hashes stay',
    );
  }));

test('a missing, non-JSON, foreign or newer file is a clear WaspecError', () =>
  withTmpDir(async (dir) => {
    const cases: Array<[string, string | undefined, RegExp]> = [
      ['missing.json', undefined, /does not exist/],
      ['bad.json', '{ nope', /not a waspec plan: it is not JSON/],
      ['package.json', '{"name":"x","version":"1.0.0"}', /not a waspec plan: it does not match/],
      ['newer.json', '{"formatVersion":2}', /newer waspec \(format version 2\)/],
    ];
    for (const [name, text, expected] of cases) {
      if (text !== undefined) await writeFile(join(dir, name), text);
      try {
        await readSavedPlan(join(dir, name));
        assert.unreachable(`${name} was accepted`);
      } catch (error) {
        assert.instance(error, WaspecError);
        assert.match((error as WaspecError).message, expected);
      }
    }
  }));

test('a saved plan whose entry lacks or has a field its action rules out is not a plan', () =>
  withTmpDir(async (dir) => {
    const plan = maskPlan(await buildFixturePlan(join(dir, 'state')));
    const of = (action: string) => {
      const found = plan.entries.find((e) => e.action === action);
      if (!found) throw new Error(`the fixture plan has no ${action} entry`);
      return found;
    };
    const without = (entry: object, key: string) =>
      Object.fromEntries(Object.entries(entry).filter(([k]) => k !== key));
    const broken: Array<[string, object]> = [
      ['a retry with no previous', without(of('retry'), 'previous')],
      ['a send with no contentHash', without(of('send'), 'contentHash')],
      ['an orphan with a contentHash', { ...of('orphan'), contentHash: 'x' }],
      ['a send with a hold', { ...of('send'), hold: { was: 'send', reason: 'r' } }],
      [
        'an unchanged entry with a shift',
        { ...of('unchanged'), shift: { sendAt: '2026-01-01T00:00:00Z', reason: 'r' } },
      ],
    ];
    for (const [what, entry] of broken) {
      await writeFile(join(dir, 'plan.json'), JSON.stringify({ ...plan, entries: [entry] }));
      try {
        await readSavedPlan(join(dir, 'plan.json'));
        assert.unreachable(`${what} was accepted`);
      } catch (error) {
        assert.instance(error, WaspecError, what);
        assert.match(
          (error as WaspecError).message,
          /not a waspec plan: it does not match the plan format \(\/entries\/0/,
          what,
        );
      }
    }
    // The entries as planned are accepted (the failures above are the fields, not the rest).
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    assert.equal((await readSavedPlan(join(dir, 'plan.json'))).entries.length, plan.entries.length);
  }));

/** A workspace in `dir` (cwd) with one spec, one CSV, a state with one record, and a plan of it. */
async function freshPlan(dir: string): Promise<Plan> {
  await mkdir(join(dir, 'specs/recipients'), { recursive: true });
  await writeFile(join(dir, 'specs/a.yaml'), 'name: a\n');
  await writeFile(join(dir, 'specs/recipients/vip.csv'), 'phoneNumber\n41793026727\n');
  const store = openFileStateStore('.waspec');
  await store.append([
    inFlight('B', '2026-01-01T00:00:00.000Z', [
      { messageId: 'm', spec: 'a', phoneNumber: '41793026727', contentHash: 'h' },
    ]),
  ]);
  const snapshot = await store.read();
  const sha = async (p: string): Promise<string> => (await hashFile(p)) ?? '';
  return {
    formatVersion: 1,
    createdAt: '2026-02-01T00:00:00.000Z',
    specs: [{ name: 'a', file: 'specs/a.yaml', revision: 1, batchSize: 100 }],
    contents: {},
    entries: [],
    summary: emptySummary(),
    inputs: {
      files: [
        { path: 'specs/a.yaml', kind: 'spec', sha256: await sha('specs/a.yaml') },
        {
          path: 'specs/recipients/vip.csv',
          kind: 'recipients',
          sha256: await sha('specs/recipients/vip.csv'),
        },
      ],
      state: { location: '.waspec', sha256: snapshot.digest, records: snapshot.records ?? 0 },
    },
    options: { retryRejected: false, resendInDoubt: false, targets: [], paths: ['specs'] },
    diagnostics: [],
  };
}

async function inWorkspace(fn: (plan: Plan) => Promise<void>): Promise<void> {
  await withTmpDir(async (dir) => {
    const before = process.cwd();
    process.chdir(dir);
    try {
      await fn(await freshPlan(dir));
    } finally {
      process.chdir(before);
    }
  });
}

const store = () => openFileStateStore('.waspec');

test('a fresh plan has no changes', () =>
  inWorkspace(async (plan) => assert.equal(await changeLines(plan, store()), [])));

test('stale: spec edited', () =>
  inWorkspace(async (plan) => {
    await appendFile('specs/a.yaml', 'revision: 2\n');
    assert.equal(await changeLines(plan, store()), [
      'spec edited since the plan was made: specs/a.yaml',
    ]);
  }));

test('stale: recipient CSV edited', () =>
  inWorkspace(async (plan) => {
    await appendFile('specs/recipients/vip.csv', '447910000000\n');
    assert.equal(await changeLines(plan, store()), [
      'recipient file edited since the plan was made: specs/recipients/vip.csv',
    ]);
  }));

test('stale: spec added, config added', () =>
  inWorkspace(async (plan) => {
    await writeFile('specs/b.yml', 'name: b\n');
    await writeFile('waspec.config.yaml', 'batchSize: 10\n');
    assert.equal(await changeLines(plan, store()), [
      'config added since the plan was made: waspec.config.yaml',
      'spec added since the plan was made: specs/b.yml',
    ]);
  }));

each('stale: state changed (counts the new records)', (backend) =>
  inWorkspace(async (plan) => {
    await withState(
      backend,
      async (state) => {
        const m = { messageId: 'n', spec: 'a', phoneNumber: '447910000000', contentHash: 'h' };
        await state.store.append([inFlight('B', '2026-01-01T00:00:00.000Z', [m])]);
        const snapshot = await state.store.read();
        // A PostgreSQL state's plan also records the digest of its suppression table.
        const table = state.store.suppressions;
        const suppressions = table
          ? { suppressions: [{ location: table.location, sha256: await table.digest() }] }
          : {};
        const fresh = {
          ...plan,
          inputs: {
            ...plan.inputs,
            state: {
              location: state.store.location,
              sha256: snapshot.digest,
              records: snapshot.records ?? 0,
            },
            ...suppressions,
          },
        };
        assert.equal(await changeLines(fresh, state.store), []);
        await state.store.append([
          inFlight('C', '2026-01-02T00:00:00.000Z', [m]),
          inFlight('D', '2026-01-02T00:00:00.000Z', [m]),
        ]);
        assert.equal(await changeLines(fresh, state.store), [
          'the state has 2 new records since the plan was made',
        ]);
      },
      process.cwd(),
    );
  }),
);

test('a state whose new records answer every message of the plan: the plan was already applied', () =>
  inWorkspace(async (plan) => {
    const send = (messageId: string) => ({
      action: 'send' as const,
      messageId,
      spec: 'a',
      revision: 1,
      phoneNumber: '417****6727',
      contentHash: 'h',
    });
    const sending = { ...plan, entries: [send('s1'), send('s2')] };
    const m = (messageId: string) => ({
      messageId,
      spec: 'a',
      phoneNumber: '41793026727',
      contentHash: 'h',
    });
    await store().append([
      inFlight('E', '2026-02-01T00:01:00.000Z', [m('s1'), m('s2')]),
      outcome('E', '2026-02-01T00:01:01.000Z', [{ messageId: 's1', outcome: 'accepted' }]),
    ]);
    assert.equal(
      await changeLines(sending, store()),
      ['the state has 2 new records since the plan was made'],
      'one message still unanswered: stale as usual',
    );
    await store().append([
      outcome('E', '2026-02-01T00:01:02.000Z', [{ messageId: 's2', outcome: 'accepted' }]),
    ]);
    assert.equal(await changeLines(sending, store()), [
      'this plan was already applied (2 messages recorded since it was made)',
    ]);
  }));

test.run();
