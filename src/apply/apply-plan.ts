import PQueue from 'p-queue';
import { applySummary, type ApplyResult } from './apply-result.js';
import type { BreakerSettings } from '../config/policy.js';
import type { Plan, Stage } from '../plan/types.js';
import { groupCommits } from '../state/group-commit.js';
import type { BreakerTrip, JournalRecord, StateStore } from '../state/types.js';
import type { Transport } from '../transport/types.js';
import { Breaker } from './breaker.js';
import { plannedRequests, sendingCount, type PlannedRequest } from './build-requests.js';
import {
  breakerRecord,
  canaryRecords,
  contentRecorder,
  inFlightRecord,
  outcomeRecord,
} from './request-records.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';
import { createTokenRenewal, recordsOf, sendRequest, type AttemptContext } from './send-request.js';

export interface ApplyProgress {
  /** Messages. */
  total: number;
  done: number;
  /** Requests. */
  inFlight: number;
  started: number;
}

export interface ApplyDeps {
  store: StateStore;
  transport: Transport;
  concurrency?: number;
  /** Requests per second. */
  rateLimit?: number;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /** The circuit breaker's thresholds; none: no breaker. */
  breaker?: BreakerSettings;
  onProgress?: (progress: ApplyProgress) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
}

/** Waits `ms`, or less when `signal` aborts; its abort listener goes when the wait ends (no pile-up over a long run). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** p-queue's window for `rps` requests per second, below 1 too (0.5 → 1 request per 2 s). */
export function rateWindow(rps: number): { intervalCap: number; interval: number } {
  const intervalCap = Math.max(1, Math.floor(rps));
  return { intervalCap, interval: Math.round((1000 * intervalCap) / rps) };
}

export const messagesIn = (requests: readonly PlannedRequest[]): number =>
  requests.reduce((n, r) => n + r.entries.length, 0);

/** A stop of the apply's own (auth failure, a state that cannot be written) that the caller's signal also triggers. */
export function stopFollowing(signal: AbortSignal | undefined): {
  stop: AbortController;
  dispose: () => void;
} {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  return { stop, dispose: () => signal?.removeEventListener('abort', onAbort) };
}

/** What every request's attempts share: the transport, one token renewal, the retry policy, the stop. */
export function attemptContext(
  deps: Pick<ApplyDeps, 'transport' | 'retry' | 'sleep' | 'now'>,
  stop: AbortSignal,
): AttemptContext {
  return {
    transport: deps.transport,
    token: createTokenRenewal(deps.transport),
    retry: deps.retry ?? DEFAULT_RETRY,
    sleep: deps.sleep ?? abortableSleep,
    now: () => (deps.now?.() ?? new Date()).toISOString(),
    stop,
  };
}

/**
 * Sends the plan's send and retry entries. Each request is journalled as in flight before it is
 * sent and its outcome after, so a crash leaves every message unsent, in doubt, or recorded.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  // Requests are built as the queue takes them (the plan is checked whole first): only those
  // queued or out are held (and the canary's, for its verdict), whatever the plan's size.
  const requests = plannedRequests(plan);
  const total = sendingCount(plan);
  const { stop, dispose } = stopFollowing(deps.signal);
  // Records of requests finishing together share one commit (one fsync, one transaction).
  const journal = groupCommits((records) => deps.store.append(records));
  const ctx = attemptContext(deps, stop.signal);
  const hooks = { notProcessed: journal, resend: journal };
  const contentRecords = contentRecorder(plan);
  const breaker = deps.breaker && new Breaker(deps.breaker, ctx.now);
  // The canary's own answers, judged once they are all in.
  const canaryJudge = deps.breaker && new Breaker(deps.breaker, ctx.now);
  const summary = applySummary(total);
  let done = 0;
  let inFlight = 0;
  let started = 0;
  const progress = () => deps.onProgress?.({ total, done, inFlight, started });

  const run = async (request: PlannedRequest) => {
    if (stop.signal.aborted) return;
    await journal([...contentRecords(request, ctx.now()), inFlightRecord(request, ctx.now())]);
    started++;
    inFlight++;
    progress();
    try {
      const outcome = await sendRequest(request, ctx, hooks);
      if (outcome.kind === 'failed' && outcome.authFailure) stop.abort(); // no new requests
      const trip = breaker?.add(outcome);
      if (trip) stop.abort(); // no new requests; those out finish and are recorded
      if (request.stage === 'canary') canaryJudge?.add(outcome);
      await journal([
        ...recordsOf(outcomeRecord(request, outcome, ctx.now())),
        ...(trip ? [breakerRecord(trip)] : []),
      ]);
      summary.add(outcome);
    } finally {
      inFlight--;
      done += request.entries.length;
      progress();
    }
  };

  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const queue = new PQueue({
    concurrency,
    ...(deps.rateLimit ? rateWindow(deps.rateLimit) : {}),
  });
  let failure: { reason: unknown } | undefined;
  const add = (request: PlannedRequest) =>
    queue
      .add(async () => {
        try {
          await run(request);
        } catch (error) {
          stop.abort(); // e.g. the state cannot be written: send nothing more
          throw error;
        }
      })
      .catch((reason: unknown) => {
        failure ??= { reason };
      });
  let canary: ApplyResult['canary'];
  let canaryTrip: BreakerTrip | undefined;
  let paused = false;
  let canaryRequests: PlannedRequest[] = [];
  // Once a stage's requests are all answered: a canary is judged (whether the rest goes on).
  const closeStage = async (stage: Stage): Promise<boolean> => {
    await queue.onIdle();
    if (failure) return false;
    if (stage !== 'canary') return true;
    const tripped = breaker?.trip;
    // Interrupted, or the credentials refused: some canary messages unsent, so no verdict.
    if (stop.signal.aborted && !tripped) return true;
    // Every canary answer is in: judged with the breaker's thresholds before the rest is sent.
    const verdict = canaryVerdict(
      canaryRequests,
      tripped ?? canaryJudge?.judge(),
      ctx.now(),
      tripped !== undefined,
    );
    canary = verdict.canary;
    if (!tripped) canaryTrip = verdict.trip;
    try {
      await journal(verdict.records);
    } catch (error) {
      failure = { reason: error };
      return false;
    }
    if (!canary.healthy) stop.abort();
    else if (plan.stages?.pause) {
      paused = true;
      return false;
    }
    return true;
  };
  try {
    // Stage by stage (seed, canary, rest): every request of a stage is answered before the next
    // starts. Tasks check the stop signal when they start, so a stop drains the queue unsent.
    let current: Stage | undefined;
    for (const request of requests) {
      const stage = request.stage ?? 'rest';
      if (current !== undefined && stage !== current) {
        const goOn = await closeStage(current);
        current = undefined;
        canaryRequests = [];
        if (!goOn || stop.signal.aborted) break;
      }
      current = stage;
      if (request.stage === 'canary') canaryRequests.push(request);
      if (stop.signal.aborted || failure) {
        if (request.stage === 'canary') continue; // the verdict counts the whole canary
        break;
      }
      void add(request);
      if (queue.size >= concurrency) await queue.onSizeLessThan(concurrency);
    }
    if (current !== undefined) await closeStage(current);
    await queue.onIdle();
  } finally {
    dispose();
  }
  if (failure) throw failure.reason;
  const result = summary.finish({ interrupted: deps.signal?.aborted ?? false });
  const trip = breaker?.trip ?? canaryTrip;
  return {
    ...result,
    ...(trip ? { breaker: trip } : {}),
    ...(canary ? { canary } : {}),
    ...(paused ? { paused: true as const } : {}),
  };
}

/**
 * The canary's verdict once its answers are in: unhealthy when the breaker tripped over them
 * (`trip`: then its record, unless the breaker journalled it already), else healthy and a canary
 * record per spec revision it sent, so later applies send the rest without a canary.
 */
export function canaryVerdict(
  requests: readonly PlannedRequest[],
  trip: BreakerTrip | undefined,
  at: string,
  journalled = false,
): { canary: NonNullable<ApplyResult['canary']>; trip?: BreakerTrip; records: JournalRecord[] } {
  const messages = messagesIn(requests);
  if (trip)
    return {
      canary: { messages, healthy: false },
      trip,
      records: journalled ? [] : [breakerRecord(trip)],
    };
  return { canary: { messages, healthy: true }, records: canaryRecords(requests, at) };
}
