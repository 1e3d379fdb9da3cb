import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan, rateWindow } from '../../src/apply/apply-plan.js';
import { contentHashOf, messageIdFor } from '../../src/api/identity.js';
import type { RequestBody } from '../../src/api/types.js';
import { decide } from '../../src/apply/retry-policy.js';
import { AuthError } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import type { JournalRecord, StateStore } from '../../src/state/types.js';
import type { SendResult, Transport } from '../../src/transport/types.js';
import { stateBackends, testEachBackend, type Backend } from '../helpers/state-backends.js';
import { emptySummary } from '../../src/plan/summarize-plan.js';

const PENDING = {
  groupId: 1,
  groupName: 'PENDING',
  id: 26,
  name: 'PENDING_ACCEPTED',
  description: 'ok',
};

function planOf(n: number, batchSize: number): Plan {
  const content = { whatsApp: { text: 'hi' } };
  const contentHash = contentHashOf(content);
  const entries = Array.from({ length: n }, (_, i) => {
    const phoneNumber = `4179100000${i}`;
    return {
      action: 'send' as const,
      messageId: messageIdFor('s', 1, phoneNumber),
      spec: 's',
      revision: 1,
      phoneNumber,
      contentHash,
    };
  });
  return {
    formatVersion: 1,
    createdAt: '',
    // A message without variables: as written it is its only content (the same hash).
    specs: [
      {
        name: 's',
        file: 's.yaml',
        revision: 1,
        batchSize,
        written: content,
        writtenHash: contentHash,
      },
    ],
    contents: { [contentHash]: content },
    entries,
    summary: { ...emptySummary(), send: n },
    inputs: { files: [], state: { location: '', sha256: '' } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [],
  };
}

const each = testEachBackend(test, await stateBackends());
const cleanups: Array<() => Promise<void>> = [];
test.after.each(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A fresh real store of the backend that also lists what it has durably recorded, in order. */
async function journalStore(backend: Backend): Promise<StateStore & { records: JournalRecord[] }> {
  const { store, cleanup } = await backend.fresh();
  cleanups.push(cleanup);
  const records: JournalRecord[] = [];
  return {
    records,
    location: store.location,
    read: () => store.read(),
    append: async (r) => {
      await store.append(r);
      records.push(...r);
    },
    lock: (options) => store.lock(options),
    readContents: (hashes) => store.readContents(hashes),
  };
}

/** Answers from a script, and checks the request was journalled as in flight first. */
function fakeTransport(
  store: { records: JournalRecord[] },
  script: Array<SendResult | 'ok' | Error>,
): Transport & { bodies: RequestBody[]; refreshes: number } {
  const bodies: RequestBody[] = [];
  const fake = {
    bodies,
    refreshes: 0,
    async send(body: RequestBody): Promise<SendResult> {
      const journalled = store.records.some(
        (r) => r.type === 'in-flight' && r.bulkId === body.bulkId,
      );
      if (!journalled) throw new Error('sent before it was journalled');
      bodies.push(body);
      const next = script.shift() ?? 'ok';
      if (next instanceof Error) throw next;
      if (next === 'ok') {
        return {
          kind: 'ok',
          response: {
            bulkId: body.bulkId,
            messages: body.destinations.map((d) => ({
              messageId: d.messageId,
              to: d.to,
              status: PENDING,
            })),
          },
        };
      }
      return next;
    },
    async refreshToken() {
      fake.refreshes++;
    },
    close() {},
  };
  return fake;
}

/** Resolves when `ready()` holds, or after a second (then the test's assertions speak). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 1000; waited += 1)
    await new Promise((r) => setTimeout(r, 1));
}

const fast = { maxAttempts: 3, maxThrottledAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 };

each('batches by batch size, journals before sending, records every outcome', async (backend) => {
  const store = await journalStore(backend);
  const transport = fakeTransport(store, []);
  const result = await applyPlan(planOf(5, 2), { store, transport, retry: fast });
  assert.equal(
    transport.bodies.map((b) => b.destinations.length),
    [2, 2, 1],
  );
  assert.is(result.messages.accepted, 5);
  for (const body of transport.bodies) {
    const flight = store.records.findIndex(
      (r) => r.type === 'in-flight' && r.bulkId === body.bulkId,
    );
    const outcome = store.records.findIndex(
      (r) => r.type === 'outcome' && r.bulkId === body.bulkId,
    );
    assert.ok(flight >= 0 && outcome > flight, 'in flight first, then the outcome');
  }
  // The message as written once (a plan without contentsToStore: each one sent), before its first request.
  assert.is(store.records[0]?.type, 'message');
  assert.equal(store.records.map((r) => r.type).sort(), [
    'in-flight',
    'in-flight',
    'in-flight',
    'message',
    'outcome',
    'outcome',
    'outcome',
  ]);
});

each(
  'a content is journalled once, in the same append as the first request that carries it, only if the plan says the state lacks it',
  async (backend) => {
    const batches: JournalRecord[][] = [];
    const run = async (contentsToStore: string[]) => {
      const store = await journalStore(backend);
      const push = store.append.bind(store);
      store.append = async (records) => {
        batches.push([...records]);
        await push(records);
      };
      const plan = { ...planOf(4, 1), contentsToStore };
      await applyPlan(plan, {
        store,
        transport: fakeTransport(store, []),
        retry: fast,
        concurrency: 2,
      });
      return store.records.filter((r) => r.type === 'message');
    };
    const hash = Object.keys(planOf(1, 1).contents)[0] ?? '';
    assert.equal(await run([]), [], 'the state keeps it already');
    const kept = await run([hash]);
    assert.is(kept.length, 1);
    assert.equal(kept[0]?.type === 'message' && kept[0].content, { whatsApp: { text: 'hi' } });
    const withContent = batches.find((b) => b.some((r) => r.type === 'message'));
    assert.ok(
      withContent?.some((r) => r.type === 'in-flight' && r.messages[0]?.contentHash === hash),
      'written with an in-flight record of its content',
    );
  },
);

each(
  'retries keep the bulkId; 500 fails without retry; unknown is in doubt and never retried',
  async (backend) => {
    const store = await journalStore(backend);
    const transport = fakeTransport(store, [
      { kind: 'not-sent', reason: 'refused' },
      { kind: 'http-error', status: 503, reason: 'busy' },
      'ok',
    ]);
    const result = await applyPlan(planOf(1, 10), { store, transport, retry: fast });
    assert.is(result.messages.accepted, 1);
    assert.is(new Set(transport.bodies.map((b) => b.bulkId)).size, 1);
    assert.is(transport.bodies.length, 3);
    // Each refused attempt is journalled as not processed before the backoff, and in flight again before the next.
    assert.equal(
      store.records.map((r) => r.type),
      ['message', 'in-flight', 'outcome', 'in-flight', 'outcome', 'in-flight', 'outcome'],
    );

    const store2 = await journalStore(backend);
    const t2 = fakeTransport(store2, [
      { kind: 'http-error', status: 500, reason: 'HTTP 500: bad values' },
    ]);
    const failed = await applyPlan(planOf(1, 10), { store: store2, transport: t2, retry: fast });
    assert.is(failed.messages.failed, 1);
    assert.is(t2.bodies.length, 1);
    assert.match(JSON.stringify(store2.records.at(-1)), /bad values/);

    const store3 = await journalStore(backend);
    const t3 = fakeTransport(store3, [{ kind: 'unknown', reason: 'socket hang up' }]);
    const doubt = await applyPlan(planOf(1, 10), { store: store3, transport: t3, retry: fast });
    assert.is(doubt.messages.inDoubt, 1);
    assert.is(t3.bodies.length, 1);
    assert.equal(
      store3.records.map((r) => r.type),
      ['message', 'in-flight'],
      'no outcome: the next plan shows it in doubt',
    );
  },
);

each('401: the token is refreshed once; a second 401 stops the apply', async (backend) => {
  const store = await journalStore(backend);
  const transport = fakeTransport(store, [
    { kind: 'http-error', status: 401, reason: 'x' },
    'ok',
    'ok',
  ]);
  const ok = await applyPlan(planOf(2, 1), { store, transport, retry: fast, concurrency: 1 });
  assert.is(ok.messages.accepted, 2);
  assert.is(transport.refreshes, 1);

  const store2 = await journalStore(backend);
  const t2 = fakeTransport(store2, [
    { kind: 'http-error', status: 401, reason: 'x' },
    { kind: 'http-error', status: 401, reason: 'x' },
  ]);
  const stopped = await applyPlan(planOf(3, 1), {
    store: store2,
    transport: t2,
    retry: fast,
    concurrency: 1,
  });
  assert.ok(stopped.authFailure);
  assert.is(stopped.messages.failed, 1);
  assert.is(stopped.messages.notSent, 2);
  assert.is(t2.bodies.length, 2);

  const store3 = await journalStore(backend);
  const t3 = fakeTransport(store3, [
    new AuthError('the token service refused the app key/secret (HTTP 401)'),
  ]);
  const auth = await applyPlan(planOf(2, 1), {
    store: store3,
    transport: t3,
    retry: fast,
    concurrency: 1,
  });
  assert.match(auth.authFailure ?? '', /refused/);
  assert.is(auth.messages.notSent, 1);
});

each('an abort sends nothing more but records what was in flight', async (backend) => {
  const store = await journalStore(backend);
  const controller = new AbortController();
  const transport = fakeTransport(store, []);
  const original = transport.send.bind(transport);
  transport.send = async (body) => {
    controller.abort();
    return original(body);
  };
  const result = await applyPlan(planOf(4, 1), {
    store,
    transport,
    retry: fast,
    concurrency: 1,
    signal: controller.signal,
  });
  assert.ok(result.interrupted);
  assert.is(result.messages.accepted, 1);
  assert.is(result.messages.notSent, 3);
});

each(
  '401 on several requests in flight at once: one refresh, each retried once with the new token',
  async (backend) => {
    const store = await journalStore(backend);
    let token = 0;
    let attempts = 0;
    const transport = fakeTransport(store, []);
    const answer = transport.send.bind(transport);
    transport.send = async (body) => {
      attempts++;
      const used = token;
      await until(() => attempts >= 4); // all four are in flight together, whatever the journal's speed
      return used === 0
        ? { kind: 'http-error', status: 401, reason: 'HTTP 401: token expired' }
        : answer(body);
    };
    transport.refreshToken = async () => {
      transport.refreshes++;
      await new Promise((r) => setTimeout(r, 2));
      token++;
    };
    const result = await applyPlan(planOf(8, 1), { store, transport, retry: fast, concurrency: 4 });
    assert.is(result.authFailure, undefined);
    assert.is(transport.refreshes, 1);
    assert.is(result.messages.accepted, 8);
    assert.is(
      attempts,
      4 + 4 + 4,
      '4 sent with the old token and again with the new one, then 4 more',
    );
  },
);

each(
  'an unknown status group and a destination missing from the answer are left in doubt, shown as they came',
  async (backend) => {
    const store = await journalStore(backend);
    const transport = fakeTransport(store, []);
    const odd = {
      groupId: 9,
      groupName: 'MYSTERY',
      id: 99,
      name: 'MYSTERY_STATUS',
      description: 'new in the API',
    };
    transport.send = async (body) => {
      const [first, , third] = body.destinations;
      const messages = [first, third].flatMap((d, i) =>
        d ? [{ messageId: d.messageId, to: d.to, status: i === 0 ? PENDING : odd }] : [],
      );
      return { kind: 'ok', response: { bulkId: body.bulkId, messages } };
    };
    const result = await applyPlan(planOf(3, 3), { store, transport, retry: fast });
    assert.equal(result.messages, {
      total: 3,
      accepted: 1,
      rejected: 0,
      failed: 0,
      inDoubt: 2,
      notSent: 0,
    });
    assert.equal(result.unknownStatuses, [odd]);
    const outcome = store.records.find((r) => r.type === 'outcome');
    assert.is(
      outcome?.type === 'outcome' ? outcome.results.length : -1,
      1,
      'only the accepted one has an outcome record',
    );
  },
);

test('the retry policy, answer by answer', () => {
  const half = () => 0.5;
  const options = { maxAttempts: 3, maxThrottledAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  const http = (
    status: number,
    retryAfterMs?: number,
  ): Extract<SendResult, { kind: 'http-error' }> => ({
    kind: 'http-error',
    status,
    reason: `HTTP ${status}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  for (const status of [502, 503, 504])
    assert.equal(decide(http(status), 1, options, half), { kind: 'retry', delayMs: 50 });
  assert.equal(
    decide({ kind: 'not-sent', reason: 'ECONNREFUSED' }, 2, options, half),
    { kind: 'retry', delayMs: 100 },
    'exponential: 100·2¹·½',
  );
  assert.equal(
    decide(http(503), 9, { ...options, maxAttempts: 20 }, half),
    { kind: 'retry', delayMs: 500 },
    'capped at maxDelayMs, jittered',
  );
  assert.equal(
    decide(http(429, 700), 1, options, half),
    { kind: 'retry', delayMs: 800 },
    'Retry-After plus jitter',
  );
  assert.is(decide(http(429), 4, options, half).kind, 'retry', '429 has its own, larger budget');
  assert.equal(decide(http(429), 5, options, half), {
    kind: 'failed',
    reason: 'gave up after 5 attempts: HTTP 429',
    httpStatus: 429,
  });
  assert.equal(decide(http(503), 3, options, half), {
    kind: 'failed',
    reason: 'gave up after 3 attempts: HTTP 503',
    httpStatus: 503,
  });
  for (const status of [400, 404, 500, 403])
    assert.equal(decide(http(status), 1, options, half), {
      kind: 'failed',
      reason: `HTTP ${status}`,
      httpStatus: status,
    });
  assert.equal(decide(http(401), 1, options, half), { kind: 'refresh-token' });
  assert.equal(decide({ kind: 'unknown', reason: 'ECONNRESET' }, 1, options, half), {
    kind: 'in-doubt',
    reason: 'ECONNRESET',
  });
});

each('at most --concurrency requests in flight', async (backend) => {
  const store = await journalStore(backend);
  const transport = fakeTransport(store, []);
  const answer = transport.send.bind(transport);
  let now = 0;
  let most = 0;
  transport.send = async (body) => {
    most = Math.max(most, ++now);
    await until(() => now >= 3); // held until the queue has filled up, if it ever does
    now--;
    return answer(body);
  };
  const result = await applyPlan(planOf(12, 1), { store, transport, retry: fast, concurrency: 3 });
  assert.is(result.messages.accepted, 12);
  assert.is(most, 3);
});

each(
  'an abort during a backoff records the request as failed (it was not processed), not in doubt',
  async (backend) => {
    const store = await journalStore(backend);
    const controller = new AbortController();
    const transport = fakeTransport(store, [
      { kind: 'http-error', status: 503, reason: 'HTTP 503: busy' },
    ]);
    const sleep = async () => controller.abort();
    const result = await applyPlan(planOf(3, 1), {
      store,
      transport,
      retry: fast,
      concurrency: 1,
      signal: controller.signal,
      sleep,
    });
    assert.ok(result.interrupted);
    assert.is(transport.bodies.length, 1);
    assert.equal(result.messages, {
      total: 3,
      accepted: 0,
      rejected: 0,
      failed: 1,
      inDoubt: 0,
      notSent: 2,
    });
    assert.match(
      JSON.stringify(store.records.at(-1)),
      /interrupted before the request went through/,
    );
  },
);

each(
  'journal appends never overlap, and records that arrive meanwhile share one append',
  async (backend) => {
    const store = await journalStore(backend);
    let open = 0;
    let appends = 0;
    const push = store.append.bind(store);
    store.append = async (records) => {
      assert.is(++open, 1, 'an append started while another was running');
      appends++;
      await new Promise((r) => setTimeout(r, 2));
      await push(records);
      open--;
    };
    const transport = fakeTransport(store, []);
    const result = await applyPlan(planOf(12, 1), {
      store,
      transport,
      retry: fast,
      concurrency: 4,
    });
    assert.is(result.messages.accepted, 12);
    assert.is(
      store.records.length,
      25,
      'a request in flight and its outcome each, and the content once',
    );
    assert.ok(appends < 25, `group commit: ${appends} appends for 25 records`);
  },
);

test('--rate-limit as a p-queue window, below one request per second too', () => {
  assert.equal(rateWindow(10), { intervalCap: 10, interval: 1000 });
  assert.equal(rateWindow(2.5), { intervalCap: 2, interval: 800 });
  assert.equal(rateWindow(0.5), { intervalCap: 1, interval: 2000 });
});

test.run();
