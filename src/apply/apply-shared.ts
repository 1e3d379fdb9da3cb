import { applySummary, type ApplyResult, type RequestOutcome } from './apply-result.js';
import type { ApplyRunRow, ApplyRunWorker } from '../state/types.js';
import { failedOutcome, inDoubtOutcome } from './answer-outcome.js';
import { attemptContext, stopFollowing, type ApplyDeps, type ApplyProgress } from './apply-plan.js';
import type { PlannedRequest } from './build-requests.js';
import { parseQueuedRequest, parseStoredOutcome } from './queued-request.js';
import { Breaker } from './breaker.js';
import { breakerRecord, inFlightRecord, outcomeRecord } from './request-records.js';
import type { JournalRecord } from '../state/types.js';
import { recordsOf, sendRequest } from './send-request.js';

export interface SharedApplyDeps extends Omit<ApplyDeps, 'store' | 'rateLimit'> {
  /** How often the whole apply's progress and end are looked up (default 1 s). */
  pollMs?: number;
  /**
   * Aborted when this worker is left alone (its parent died, its output closed): it claims nothing
   * more, finishes what is out, puts what waits out a backoff back for the others, and returns
   * without waiting for the rest of the apply.
   */
  handBack?: AbortSignal;
}

/** This worker's part of a shared apply, and the whole apply's result. */
export interface SharedApplyResult {
  result: ApplyResult;
  /** Whether the run ended (nothing pending, nothing out with a live worker). */
  ended: boolean;
  /** Other workers still applying when this one stopped. */
  othersAlive: number;
  /** Whether this worker handed its work back (`handBack` aborted). */
  handedBack: boolean;
}

/**
 * One worker of an apply shared by many (apply --workers): `concurrency` lanes each take a send
 * slot of the run's rate budget, claim the next pending request (its in-flight record committed
 * with the claim), send it with the retry policy, and commit its outcome with the row. When
 * nothing is left to claim it waits for the other workers' requests, so that the result it
 * returns is the whole apply's.
 */
export async function applyShared(
  worker: ApplyRunWorker,
  deps: SharedApplyDeps,
): Promise<SharedApplyResult> {
  const { run } = worker;
  const { handBack } = deps;
  const { stop, dispose } = stopFollowing(
    deps.signal && handBack ? AbortSignal.any([deps.signal, handBack]) : (deps.signal ?? handBack),
  );
  const ctx = attemptContext(deps, stop.signal);
  const pollMs = deps.pollMs ?? 1000;
  const wait = (ms: number) => ctx.sleep(ms, stop.signal);
  const pace = async () => {
    if (run.rateLimit === undefined) return;
    const ms = await worker.slot();
    if (ms > 0) await wait(ms);
  };
  const where = (seq: number) => `Request ${seq} of apply run ${run.id}`;
  // Each worker judges its own answers; a trip stops the claims of every worker of the run.
  const breaker = deps.breaker && new Breaker(deps.breaker, ctx.now);
  let tripped = false;

  // Each lane sends one request at a time: its outcome is committed with the claim of the next
  // (one commit per request), except where a send slot must be waited for first.
  const lane = async () => {
    let request: PlannedRequest | undefined;
    // Whether the claimed request waits out a backoff (its last attempt journalled as not processed).
    let waiting = false;
    const inFlight = (payload: unknown) => {
      request = parseQueuedRequest(payload, 'a request row of the apply');
      return [inFlightRecord(request, ctx.now())];
    };
    const claimNext = async () => {
      await pace();
      return stop.signal.aborted || tripped ? undefined : worker.claim(inFlight);
    };
    let claimed = await claimNext();
    while (claimed && request) {
      const { seq } = claimed;
      const sending = request;
      waiting = false;
      const outcome = await sendRequest(sending, ctx, {
        notProcessed: async (records) => {
          await worker.mark(seq, 'waiting', records);
          waiting = true;
        },
        pace,
        resend: async (records) => {
          await worker.mark(seq, 'out', records);
          waiting = false;
        },
      });
      if (handBack?.aborted && waiting) {
        // Not sent again since its refusal: another worker sends it, not this one's summary.
        request = undefined;
        await worker.unclaim(seq);
        claimed = await claimNext();
        continue;
      }
      if (outcome.kind === 'failed' && outcome.authFailure) stop.abort(); // no new requests from this worker
      const records = recordsOf(outcomeRecord(sending, outcome, ctx.now()));
      request = undefined;
      const trip = breaker?.add(outcome);
      if (trip) tripped = true; // no new claims from this worker's lanes
      if (stop.signal.aborted || tripped || run.rateLimit !== undefined) {
        await worker.finish(seq, outcome, records);
        if (trip) await worker.trip(trip, [breakerRecord(trip)]);
        claimed = await claimNext();
      } else {
        claimed = await worker.finish(seq, outcome, records, inFlight);
      }
    }
  };
  const runLanes = async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, async () => {
        try {
          await lane();
        } catch (error) {
          stop.abort(); // e.g. the state cannot be written: send nothing more
          throw error;
        }
      }),
    );
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
  };

  /**
   * Once every canary request of the run is answered, judges their stored answers with the
   * breaker's thresholds (whichever worker comes first records the verdict for all): unhealthy
   * trips the run's breaker; healthy journals the canary records and lets the rest go, or pauses.
   * Whether it judged.
   */
  const judgeCanary = async (): Promise<boolean> => {
    const canary = run.canary;
    if (!canary || stop.signal.aborted) return false;
    const answers = await worker.canaryAnswered();
    if (!answers) return false;
    const judge = deps.breaker && new Breaker(deps.breaker, ctx.now);
    for (const [i, answer] of answers.entries())
      judge?.add(parseStoredOutcome(answer, `The canary answer ${i + 1} of apply run ${run.id}`));
    const trip = judge?.judge();
    if (trip) {
      tripped = true;
      await worker.trip(trip, [breakerRecord(trip)]);
      return true;
    }
    const at = ctx.now();
    const records: JournalRecord[] = canary.sent.map((s) => ({ v: 6, type: 'canary', at, ...s }));
    await worker.judgeCanary(canary.pause ? 'paused' : 'passed', records);
    return true;
  };

  const progress = watchProgress(worker, deps.onProgress, pollMs);
  let ended = false;
  try {
    await runLanes();
    while (!stop.signal.aborted && !(ended = await worker.endIfDone())) {
      if (!(await judgeCanary())) await wait(pollMs);
      // A claim another worker rolled back (it died mid-transaction) is pending again; or the
      // canary passed and the rest may be claimed.
      if (!tripped && (await worker.anyPending())) await runLanes();
    }
  } finally {
    dispose();
    await progress.stop();
  }
  // Folded a page of rows at a time: the run's outcomes are never held together.
  const summary = applySummary(run.messages);
  await worker.summaryRows((rows) => {
    for (const row of rows)
      for (const outcome of outcomeOfRow(row, where(row.seq))) summary.add(outcome);
  });
  const othersAlive = ended ? 0 : (await worker.liveWorkers()) - 1;
  const result = summary.finish({
    interrupted: (deps.signal?.aborted ?? false) || (handBack?.aborted ?? false),
  });
  const trip = await worker.tripped();
  const verdict = run.canary ? await worker.canaryVerdict() : undefined;
  const canary = run.canary && (verdict || trip) ? canaryResult(run.canary, verdict) : undefined;
  return {
    result: {
      ...result,
      ...(trip ? { breaker: trip } : {}),
      ...(canary ? { canary } : {}),
      ...(verdict === 'paused' && !trip ? { paused: true as const } : {}),
    },
    ended,
    othersAlive: Math.max(0, othersAlive),
    handedBack: handBack?.aborted ?? false,
  };
}

/** A row's outcome: stored when done; for one its worker left behind, what the journal says of it. */
function outcomeOfRow(row: ApplyRunRow, where: string): RequestOutcome[] {
  if (row.phase === 'done') return [parseStoredOutcome(row.outcome, where)];
  // Pending, or out with a live worker (summaryRows leaves both out), or cleared as its run ended.
  if (row.payload === undefined) return [];
  const request = parseQueuedRequest(row.payload, where);
  return row.phase === 'out'
    ? [inDoubtOutcome(request, 'its worker ended while the request was out')]
    : [failedOutcome(request, 'not processed: its worker ended during the backoff')];
}

/** The whole apply's progress, looked up every `pollMs` while this worker runs. */
function watchProgress(
  worker: ApplyRunWorker,
  onProgress: ((p: ApplyProgress) => void) | undefined,
  pollMs: number,
): { stop: () => Promise<void> } {
  if (!onProgress) return { stop: async () => undefined };
  let startedBefore: number | undefined;
  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    const p = await worker.progress();
    const started = p.requests.out + p.requests.waiting + p.requests.done + p.orphaned.requests;
    startedBefore ??= started;
    const done = p.messages.done + p.orphaned.messages;
    // `started` counts this process's time only, so the rate shown is what the workers do now.
    onProgress({
      total: worker.run.messages,
      done,
      inFlight: p.requests.out + p.requests.waiting,
      started: started - startedBefore,
    });
  };
  // One look-up at a time (they never pile up), the next pollMs after it ends, or later when they
  // take long: one counts every row of the run (seconds at millions) on the connection this
  // process's lanes share, so look-ups get at most a fifth of the time.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    const started = performance.now();
    polling = poll()
      .catch(() => undefined) // a lost state surfaces in the lanes
      .then(() => {
        if (!stopped) timer = setTimeout(tick, Math.max(pollMs, 4 * (performance.now() - started)));
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await polling;
      tick();
      await polling;
    },
  };
}

/** The run's canary as the result says it: healthy when judged so (a trip before the verdict: not). */
function canaryResult(
  canary: NonNullable<ApplyRunWorker['run']['canary']>,
  verdict: 'passed' | 'paused' | undefined,
): NonNullable<ApplyResult['canary']> {
  return {
    messages: canary.sent.reduce((n, s) => n + s.messages, 0),
    healthy: verdict !== undefined,
  };
}
