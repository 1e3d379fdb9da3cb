import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyMessages } from '../../src/plan/classify-messages.js';
import type { MessageState } from '../../src/state/types.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { stateBackends, testEachBackend, withState } from '../helpers/state-backends.js';
import { buildFixturePlan, fixtureMessages, writeFixtureState } from './fixture-plan.js';

function actions(
  entries: Iterable<{ spec: string; phoneNumber: string; action: string }>,
): string[] {
  return [...entries].map((e) => `${e.spec} ${e.phoneNumber} ${e.action}`);
}

const each = testEachBackend(test, await stateBackends());

each('every category: send, retry, in-doubt, unchanged, drift, rejected, orphan', (backend) =>
  withState(backend, async ({ store }) => {
    const plan = await buildFixturePlan(store);
    assert.equal(actions(plan.entries), [
      'black-friday 41793026727 send',
      'black-friday 447910000000 retry',
      'black-friday 41791234567 in-doubt',
      'black-friday 41780000001 send',
      'black-friday 41780000002 send',
      'store-hello 41793026727 unchanged',
      'store-hello 447910000000 drift',
      'store-hello 41780000003 rejected',
      'store-hello 41780000004 send',
      'store-hello 4915112345678 send',
      'store-hello 417****0099 orphan',
    ]);
    assert.equal(plan.summary, {
      send: 5,
      retry: 1,
      unchanged: 1,
      drift: 1,
      rejected: 1,
      'in-doubt': 1,
      orphan: 1,
      suppressed: 0,
      capped: 0,
      'quiet-hours': 0,
      limit: 0,
    });
    assert.equal(Object.keys(plan.contents).sort(), ['h-hello', 'h-map', 'h-promo']);
    const drift = plan.entries.find((e) => e.action === 'drift');
    assert.is(drift?.previous?.contentHash, 'h-hello-old');
    assert.is(
      plan.entries.find((e) => e.action === 'retry')?.previous?.error,
      'HTTP 503 Service Unavailable',
    );
    assert.is(
      plan.entries.find((e) => e.action === 'rejected')?.previous?.statusName,
      'REJECTED_DESTINATION',
    );
  }),
);

test('--retry-rejected and --resend-in-doubt turn those into send', () =>
  withTmpDir(async (dir) => {
    await writeFixtureState(dir);
    const snapshot = await openFileStateStore(dir).read();
    const { entries } = await classifyMessages(fixtureMessages(), snapshot, {
      retryRejected: true,
      resendInDoubt: true,
    });
    const by = (phone: string, spec: string) =>
      entries.find((e) => e.phoneNumber === phone && e.spec === spec)?.action;
    assert.is(by('41780000003', 'store-hello'), 'send');
    assert.is(by('41791234567', 'black-friday'), 'send');
    assert.is(by('447910000000', 'store-hello'), 'drift', 'drift is never re-sent');
  }));

test('orphans only for specs in scope; earlier revisions are history, not orphans', () =>
  withTmpDir(async (dir) => {
    await writeFixtureState(dir);
    const snapshot = await openFileStateStore(dir).read();
    const scoped = await classifyMessages(
      fixtureMessages().filter((m) => m.spec === 'black-friday'),
      snapshot,
      {
        scope: new Set(['black-friday']),
      },
    );
    assert.is(scoped.entries.filter((e) => e.action === 'orphan').length, 0);
    const removed = await classifyMessages([], snapshot, {});
    assert.is(
      removed.entries.length,
      snapshot.messages.size,
      'with nothing compiled, every state message is an orphan',
    );
    const bumped = await classifyMessages([], snapshot, {
      revisions: new Map([['store-hello', 2]]),
    });
    assert.equal([...new Set(bumped.entries.map((e) => e.spec))], ['black-friday']);
  }));

test("orphans found by the state table's places are those a look-up of the plan finds, in the same order", () =>
  withTmpDir(async (dir) => {
    await writeFixtureState(dir);
    const snapshot = await openFileStateStore(dir).read();
    // A Map of the same messages has no places: the entries look the state's messageIds up.
    const asMap = {
      ...snapshot,
      messages: new Map(
        [...snapshot.messages.keys()].map((id) => [id, snapshot.messages.get(id) as MessageState]),
      ),
    };
    for (const keep of [() => true, (_: unknown, i: number) => i % 2 === 0, () => false]) {
      const messages = fixtureMessages().filter(keep);
      const byPlaces = await classifyMessages(messages, snapshot, {});
      const byLookUp = await classifyMessages(messages, asMap, {});
      assert.equal([...byPlaces.entries], [...byLookUp.entries]);
      assert.ok([...byPlaces.entries].some((e) => e.action === 'orphan'));
    }
  }));

test('a message compiled twice that the state has is planned once', () =>
  withTmpDir(async (dir) => {
    await writeFixtureState(dir);
    const snapshot = await openFileStateStore(dir).read();
    const messages = fixtureMessages();
    const known = messages.filter((m) => snapshot.messages.has(m.messageId));
    assert.ok(known.length > 0);
    const once = await classifyMessages(messages, snapshot, {});
    const twice = await classifyMessages([...messages, ...known], snapshot, {});
    assert.equal(actions(twice.entries), actions(once.entries));
  }));

test.run();
