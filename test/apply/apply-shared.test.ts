import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contentHashOf, messageIdFor } from '../../src/api/identity.js';
import type { RequestBody } from '../../src/api/types.js';
import { outcomeOfAnswer } from '../../src/apply/answer-outcome.js';
import { applyShared } from '../../src/apply/apply-shared.js';
import { buildRequests, type PlannedRequest } from '../../src/apply/build-requests.js';
import { payloadOf } from '../../src/apply/queued-request.js';
import { StateError } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import type {
  ApplyRunWorker,
  BreakerTrip,
  ClaimedRequest,
  JournalRecord,
  RequestPhase,
} from '../../src/state/types.js';
import type { SendResult, Transport } from '../../src/transport/types.js';

const PENDING = {
  groupId: 1,
  groupName: 'PENDING',
  id: 26,
  name: 'PENDING_ACCEPTED',
  description: 'ok',
};

function requestsOf(n: number): PlannedRequest[] {
  const content = { whatsApp: { text: 'hi' } };
  const contentHash = contentHashOf(content);
  const entries = Array.from({ length: n }, (_, i) => {
    const phoneNumber = `4179200000${i}`;
    return {
      action: 'send' as const,
      messageId: messageIdFor('s', 1, phoneNumber),
      spec: 's',
      revision: 1,
      phoneNumber,
      contentHash,
    };
  });
  const plan = {
    specs: [{ name: 's', file: 's.yaml', revision: 1, batchSize: 1 }],
    contents: { [contentHash]: content },
    entries,
  } as unknown as Plan;
  return buildRequests(plan);
}

interface Row {
  seq: number;
  phase: RequestPhase;
  payload: unknown;
  /** Claimed by a worker other than the one under test; alive or gone. */
  other?: 'alive' | 'gone';
  outcome?: unknown;
}

/** An apply run in memory, as a PostgreSQL state keeps it; `journal` holds what was committed. */
function memoryRun(rows: Row[], messages: number) {
  const journal: JournalRecord[] = [];
  const phases: Array<[number, RequestPhase]> = [];
  let tripped: BreakerTrip | undefined;
  const claim = async (
    inFlight: (payload: unknown) => JournalRecord[],
  ): Promise<ClaimedRequest | undefined> => {
    if (tripped) return undefined;
    const row = rows.find((r) => r.phase === 'pending');
    if (!row) return undefined;
    const records = inFlight(row.payload); // throws on a bad row: nothing is claimed or committed
    row.phase = 'out';
    journal.push(...records);
    return { seq: row.seq, payload: row.payload };
  };
  const open = (r: Row) => r.phase === 'out' || r.phase === 'waiting';
  const worker: ApplyRunWorker = {
    run: {
      id: '1',
      inputsDigest: 'd',
      messages,
      requests: rows.length,
      startedBy: 'test',
      startedAt: '2026-01-01T00:00:00.000Z',
    },
    claim,
    mark: async (seq, phase, records) => {
      journal.push(...records);
      phases.push([seq, phase]);
      const row = rows[seq];
      if (row) row.phase = phase;
    },
    finish: async (seq, outcome, records, next) => {
      journal.push(...records);
      const row = rows[seq];
      if (row)
        Object.assign(row, {
          phase: 'done',
          outcome: JSON.parse(JSON.stringify(outcome)) as unknown,
        });
      return next ? claim(next) : undefined;
    },
    unclaim: async (seq) => {
      phases.push([seq, 'pending']);
      const row = rows[seq];
      if (row) row.phase = 'pending';
    },
    slot: async () => 0,
    canaryAnswered: async () => undefined,
    judgeCanary: async () => undefined,
    canaryVerdict: async () => undefined,
    progress: async () => ({
      requests: {
        pending: rows.filter((r) => r.phase === 'pending').length,
        out: 0,
        waiting: 0,
        done: 0,
      },
      messages: { pending: 0, out: 0, waiting: 0, done: 0 },
      orphaned: { requests: 0, messages: 0 },
      liveWorkers: 1,
    }),
    liveWorkers: async () => 1,
    anyPending: async () => rows.some((r) => r.phase === 'pending'),
    summaryRows: async (onPage) => {
      // As the state reads them: done rows and those a gone worker left open, two at a time.
      const counted = rows
        .filter((r) => r.phase === 'done' || (open(r) && r.other === 'gone'))
        .map((r) => ({
          seq: r.seq,
          bulkId: `b${r.seq}`,
          messages: 1,
          phase: r.phase,
          ...(r.phase === 'done' ? { outcome: r.outcome } : { payload: r.payload }),
        }));
      for (let i = 0; i < counted.length; i += 2) onPage(counted.slice(i, i + 2));
    },
    endIfDone: async () =>
      !rows.some((r) => (r.phase === 'pending' && !tripped) || (open(r) && r.other === 'alive')),
    trip: async (trip, records) => {
      if (tripped) return;
      tripped = trip;
      journal.push(...records);
    },
    tripped: async () => tripped,
  };
  return { worker, journal, phases };
}

/** Answers from a script; fails a request whose in-flight record is not committed yet. */
function transportOf(
  journal: JournalRecord[],
  script: SendResult[] = [],
): Transport & { bodies: RequestBody[] } {
  const bodies: RequestBody[] = [];
  return {
    bodies,
    async send(body) {
      if (!journal.some((r) => r.type === 'in-flight' && r.bulkId === body.bulkId))
        throw new Error('sent before its in-flight record was committed');
      bodies.push(body);
      return (
        script.shift() ?? {
          kind: 'ok',
          response: {
            bulkId: body.bulkId,
            messages: body.destinations.map((d) => ({
              messageId: d.messageId,
              to: d.to,
              status: PENDING,
            })),
          },
        }
      );
    },
    refreshToken: async () => undefined,
    close() {},
  };
}

const fast = { maxAttempts: 3, maxThrottledAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 };

test('each request is claimed with its in-flight record, sent, and its outcome committed; a refused attempt waits as not processed', async () => {
  const requests = requestsOf(6);
  const { worker, journal, phases } = memoryRun(
    requests.map((r, seq) => ({ seq, phase: 'pending', payload: payloadOf(r) })),
    6,
  );
  const transport = transportOf(journal, [
    { kind: 'http-error', status: 503, reason: 'HTTP 503: busy' },
  ]);
  const { result, ended } = await applyShared(worker, {
    transport,
    retry: fast,
    concurrency: 2,
    pollMs: 1,
  });
  assert.ok(ended);
  assert.equal(result.messages, {
    total: 6,
    accepted: 6,
    rejected: 0,
    failed: 0,
    inDoubt: 0,
    notSent: 0,
  });
  assert.is(transport.bodies.length, 7, 'six requests, one of them twice');
  assert.equal(
    phases.map(([, phase]) => phase),
    ['waiting', 'out'],
    'the 503 journalled before the backoff, in flight again before the retry',
  );
  assert.is(journal.filter((r) => r.type === 'outcome').length, 7);
});

test("the summary is the whole run's: others' outcomes, a gone worker's request out in doubt, one in its backoff failed", async () => {
  const requests = requestsOf(5);
  const [a, b, c, d, e] = requests;
  if (!a || !b || !c || !d || !e) throw new Error('five requests');
  const answered = outcomeOfAnswer(
    a,
    a.body.destinations.map((x) => ({ messageId: x.messageId, status: PENDING })),
  );
  const { worker, journal } = memoryRun(
    [
      { seq: 0, phase: 'done', payload: payloadOf(a), other: 'alive', outcome: answered },
      { seq: 1, phase: 'out', payload: payloadOf(b), other: 'gone' },
      { seq: 2, phase: 'waiting', payload: payloadOf(c), other: 'gone' },
      { seq: 3, phase: 'pending', payload: payloadOf(d) },
      { seq: 4, phase: 'pending', payload: payloadOf(e) },
    ],
    5,
  );
  const transport = transportOf(journal);
  const { result } = await applyShared(worker, {
    transport,
    retry: fast,
    concurrency: 1,
    pollMs: 1,
  });
  assert.is(
    transport.bodies.length,
    2,
    'only the pending requests are sent: a gone worker\u2019s claims never again',
  );
  assert.equal(result.messages, {
    total: 5,
    accepted: 3,
    rejected: 0,
    failed: 1,
    inDoubt: 1,
    notSent: 0,
  });
  assert.match(
    result.inDoubtRequests[0]?.reason ?? '',
    /its worker ended while the request was out/,
  );
  assert.match(
    result.failures[0]?.reason ?? '',
    /not processed: its worker ended during the backoff/,
  );
  assert.not.match(JSON.stringify(result), /41792000001/, 'numbers are masked');
});

test('a worker left alone finishes what is out, puts what waits back for the others, and claims nothing more', async () => {
  const requests = requestsOf(4);
  const rows: Row[] = requests.map((r, seq) => ({ seq, phase: 'pending', payload: payloadOf(r) }));
  const { worker, journal, phases } = memoryRun(rows, 4);
  const transport = transportOf(journal);
  const handBack = new AbortController();
  // The second request's answer comes only after the worker is left alone: it is out then.
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let backoffs = 0;
  const send = transport.send.bind(transport);
  transport.send = async (body) => {
    const result = await send(body);
    if (body.bulkId === requests[0]?.body.bulkId)
      return { kind: 'http-error', status: 429, reason: 'HTTP 429: too many requests' };
    await answered;
    return result;
  };
  const applying = applyShared(worker, {
    transport,
    retry: fast,
    concurrency: 2,
    pollMs: 1,
    handBack: handBack.signal,
    // A backoff lasts until the worker stops waiting.
    sleep: (_ms, signal) =>
      new Promise<void>((resolve) => {
        backoffs++;
        if (backoffs === 1) handBack.abort(); // the first request waits, the second is out
        if (signal?.aborted) resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  answer();
  const { handedBack, ended } = await applying;
  assert.ok(handedBack);
  assert.not.ok(ended, 'it does not wait for the others');
  assert.is(transport.bodies.length, 2, 'nothing claimed after it was left alone');
  assert.equal(
    rows.map((r) => r.phase),
    ['pending', 'done', 'pending', 'pending'],
    'the refused request back to pending, the one out answered and recorded',
  );
  assert.equal(phases, [
    [0, 'waiting'],
    [0, 'pending'],
  ]);
  assert.ok(journal.some((r) => r.type === 'outcome' && r.bulkId === requests[1]?.body.bulkId));
});

test('a request row that is not a valid request is refused before anything is sent', async () => {
  const [request] = requestsOf(1);
  if (!request) throw new Error('one request');
  const bad = { ...(payloadOf(request) as object), entries: [] };
  const { worker, journal } = memoryRun([{ seq: 0, phase: 'pending', payload: bad }], 1);
  const transport = transportOf(journal);
  try {
    await applyShared(worker, { transport, retry: fast, concurrency: 1, pollMs: 1 });
    assert.unreachable('it applied a bad row');
  } catch (error) {
    assert.instance(error, StateError);
    assert.match(
      (error as Error).message,
      /not a request waspec can send \(its entries are not its destinations\)/,
    );
  }
  assert.is(transport.bodies.length, 0);
  assert.is(journal.length, 0);
});

test("a worker's breaker trips the run: no more claims, the trip journalled once, what is pending stays unsent", async () => {
  const requests = requestsOf(40);
  const { worker, journal } = memoryRun(
    requests.map((r, seq) => ({ seq, phase: 'pending', payload: payloadOf(r) })),
    40,
  );
  const rejected = { ...PENDING, groupId: 5, groupName: 'REJECTED', name: 'REJECTED_X' };
  const transport = transportOf(
    journal,
    requests.map((r) => ({
      kind: 'ok' as const,
      response: {
        bulkId: r.body.bulkId,
        messages: r.body.destinations.map((d) => ({
          messageId: d.messageId,
          to: d.to,
          status: rejected,
        })),
      },
    })),
  );
  const { result, ended } = await applyShared(worker, {
    transport,
    retry: fast,
    concurrency: 2,
    pollMs: 1,
    breaker: { window: 10, minAnswers: 5, maxRejectedShare: 0.5, maxFailedShare: 0.5 },
  });
  assert.ok(ended, 'a tripped run ends once nothing is out');
  assert.is(result.breaker?.cause, 'rejected');
  assert.equal(result.breaker?.reasons, [{ reason: 'REJECTED_X: ok', count: 5 }]);
  assert.ok(transport.bodies.length <= 6, `5 answers and what was out: ${transport.bodies.length}`);
  assert.is(result.messages.notSent, 40 - transport.bodies.length);
  assert.is(result.messages.inDoubt, 0);
  assert.is(journal.filter((r) => r.type === 'breaker').length, 1);
  assert.is(
    journal.filter((r) => r.type === 'in-flight').length,
    transport.bodies.length,
    'nothing unsent was journalled in flight',
  );
});

test.run();
