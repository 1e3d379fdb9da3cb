import PQueue from 'p-queue';
import { classifyStatus } from '../api/status-groups.js';
import type { ApiStatus } from '../api/types.js';
import { AuthError } from '../errors.js';
import { emptyApplyResult, type ApplyResult } from '../plan/apply-result.js';
import type { Plan } from '../plan/types.js';
import { maskPhone } from '../recipients/mask-phone.js';
import { storedContentOf } from '../state/stored-content.js';
import type { JournalRecord, StateStore } from '../state/types.js';
import type { Transport } from '../transport/types.js';
import { buildRequests, type PlannedRequest } from './build-requests.js';
import { createJournalWriter } from './journal-writer.js';
import { decide, DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';

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
  onProgress?: (progress: ApplyProgress) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

const maskedNumbers = (request: PlannedRequest): string[] => request.entries.map((e) => maskPhone(e.phoneNumber));

/** p-queue's window for `rps` requests per second, below 1 too (0.5 → 1 request per 2 s). */
export function rateWindow(rps: number): { intervalCap: number; interval: number } {
  const intervalCap = Math.max(1, Math.floor(rps));
  return { intervalCap, interval: Math.round((1000 * intervalCap) / rps) };
}

/**
 * Sends the plan's send and retry entries. Each request is journalled as in flight before it is
 * sent and its outcome after, so a crash leaves every message unsent, in doubt, or recorded.
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const requests = buildRequests(plan);
  const retry = deps.retry ?? DEFAULT_RETRY;
  const sleep = deps.sleep ?? defaultSleep;
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const total = requests.reduce((n, r) => n + r.entries.length, 0);
  const result = emptyApplyResult(total);
  const stop = new AbortController();
  const onAbort = () => {
    result.interrupted = true;
    stop.abort();
  };
  if (deps.signal?.aborted) onAbort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  const append = createJournalWriter(deps.store);
  let refreshed: Promise<void> | undefined;
  let done = 0;
  let inFlight = 0;
  const progress = () => deps.onProgress?.({ total, done, inFlight, started: result.requests });

  const failedRecord = (request: PlannedRequest, reason: string, httpStatus?: number): JournalRecord => ({
    v: 1,
    type: 'outcome',
    at: now(),
    bulkId: request.body.bulkId,
    results: request.entries.map((e) => ({ messageId: e.messageId, outcome: 'failed' as const, error: reason, ...(httpStatus !== undefined ? { httpStatus } : {}) })),
  });
  const inFlightRecord = (request: PlannedRequest): JournalRecord => ({
    v: 1,
    type: 'in-flight',
    at: now(),
    bulkId: request.body.bulkId,
    messages: request.entries.map((e) => ({
      messageId: e.messageId,
      spec: e.spec,
      revision: e.revision,
      phoneNumber: e.phoneNumber,
      maskedPhoneNumber: maskPhone(e.phoneNumber),
      contentHash: e.contentHash,
    })),
  });

  // Each content the state does not keep yet goes into the journal once, with the first request
  // that carries it (a plan without the list, from an older waspec: each content sent, once).
  // (The entries of a request share one content: requests are grouped by it.)
  const hashOf = (request: PlannedRequest) => request.entries[0]?.contentHash ?? '';
  const toStore = new Set(plan.contentsToStore ?? requests.map(hashOf));
  const contentRecords = (request: PlannedRequest): JournalRecord[] => {
    const hash = hashOf(request);
    const content = plan.contents[hash];
    if (!toStore.delete(hash) || !content) return [];
    return [{ v: 3, type: 'content', at: now(), hash, ...storedContentOf(content) }];
  };

  const recordFailure = async (request: PlannedRequest, reason: string, httpStatus?: number) => {
    await append([failedRecord(request, reason, httpStatus)]);
    result.messages.failed += request.entries.length;
    result.failures.push({ bulkId: request.body.bulkId, messages: request.entries.length, numbers: maskedNumbers(request), reason });
  };

  const run = async (request: PlannedRequest) => {
    if (stop.signal.aborted) return;
    await append([...contentRecords(request), inFlightRecord(request)]);
    result.requests++;
    inFlight++;
    progress();
    try {
      for (let attempt = 1; ; attempt++) {
        // A 401 to a request sent before the refresh began is the old token's; after it, a real refusal.
        const sentAfterRefresh = refreshed !== undefined;
        const sent = await deps.transport.send(request.body);
        if (sent.kind === 'ok') {
          await recordAnswer(request, sent.response.messages);
          return;
        }
        const decision = decide(sent, attempt, retry);
        if (decision.kind === 'in-doubt') {
          result.messages.inDoubt += request.entries.length;
          result.failures.push({ bulkId: request.body.bulkId, messages: request.entries.length, numbers: maskedNumbers(request), reason: `in doubt: ${decision.reason}` });
          return;
        }
        if (decision.kind === 'failed') return await recordFailure(request, decision.reason, decision.httpStatus);
        if (decision.kind === 'refresh-token') {
          if (sentAfterRefresh) {
            const reason = 'the API refused the token again after a refresh (HTTP 401)';
            result.authFailure = reason;
            stop.abort();
            return await recordFailure(request, reason, 401);
          }
          refreshed ??= deps.transport.refreshToken(); // once for the whole apply
          try {
            await refreshed;
          } catch (error) {
            const reason = error instanceof AuthError ? error.message : `token refresh failed: ${String(error)}`;
            result.authFailure = reason;
            stop.abort();
            return await recordFailure(request, reason, 401);
          }
          continue;
        }
        // The answer proved the request was not processed: journal that before waiting, so a crash
        // during the backoff leaves it to retry, not in doubt; and in flight again before it goes out.
        await append([failedRecord(request, `not processed, retrying: ${sent.reason}`, sent.kind === 'http-error' ? sent.status : undefined)]);
        await sleep(decision.delayMs, stop.signal);
        if (stop.signal.aborted) {
          // The last attempt was certainly not processed: record it, so the next plan retries it.
          return await recordFailure(request, 'interrupted before the request went through');
        }
        await append([inFlightRecord(request)]);
      }
    } catch (error) {
      if (error instanceof AuthError) {
        result.authFailure = error.message;
        stop.abort();
        return await recordFailure(request, error.message);
      }
      throw error;
    } finally {
      inFlight--;
      done += request.entries.length;
      progress();
    }
  };

  const recordAnswer = async (request: PlannedRequest, messages: ReadonlyArray<{ messageId: string; status: ApiStatus }>) => {
    const byId = new Map(messages.map((m) => [m.messageId, m.status]));
    const results: Extract<JournalRecord, { type: 'outcome' }>['results'] = [];
    for (const entry of request.entries) {
      const status = byId.get(entry.messageId);
      if (!status) {
        result.messages.inDoubt++; // the API did not say: never guessed
        continue;
      }
      const group = `${status.groupId} ${status.groupName}`;
      result.byStatusGroup[group] = (result.byStatusGroup[group] ?? 0) + 1;
      const statusClass = classifyStatus(status);
      if (statusClass === 'accepted') {
        results.push({ messageId: entry.messageId, outcome: 'accepted', status });
        result.messages.accepted++;
      } else if (statusClass === 'rejected') {
        results.push({ messageId: entry.messageId, outcome: 'rejected', status });
        result.messages.rejected++;
      } else {
        result.unknownStatuses.push(status);
        result.messages.inDoubt++;
      }
    }
    if (results.length > 0) await append([{ v: 1, type: 'outcome', at: now(), bulkId: request.body.bulkId, results }]);
  };

  const queue = new PQueue({
    concurrency: Math.max(1, deps.concurrency ?? 4),
    ...(deps.rateLimit ? rateWindow(deps.rateLimit) : {}),
  });
  // Tasks check the stop signal when they start, so a stop drains the queue without sending.
  const settled = await Promise.allSettled(
    requests.map((request) =>
      queue.add(async () => {
        try {
          await run(request);
        } catch (error) {
          stop.abort(); // e.g. the state cannot be written: send nothing more
          throw error;
        }
      }),
    ),
  );
  deps.signal?.removeEventListener('abort', onAbort);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const recorded = result.messages.accepted + result.messages.rejected + result.messages.failed + result.messages.inDoubt;
  result.messages.notSent = total - recorded;
  return result;
}
