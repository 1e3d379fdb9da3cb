import { AuthError } from '../errors.js';
import type { RequestOutcome } from './apply-result.js';
import type { JournalRecord } from '../state/types.js';
import type { Transport } from '../transport/types.js';
import { failedOutcome, inDoubtOutcome, outcomeOfAnswer } from './answer-outcome.js';
import type { PlannedRequest } from './build-requests.js';
import { inFlightRecord, outcomeRecord } from './request-records.js';
import { decide, type RetryOptions } from './retry-policy.js';

/** The token is renewed once for the whole apply, however many requests see a 401. */
export interface TokenRenewal {
  /** Whether a renewal has begun: a 401 to a request sent after that is a real refusal. */
  readonly started: boolean;
  renew(): Promise<void>;
}

export function createTokenRenewal(transport: Transport): TokenRenewal {
  let renewal: Promise<void> | undefined;
  return {
    get started() {
      return renewal !== undefined;
    },
    renew: () => (renewal ??= transport.refreshToken()),
  };
}

export interface AttemptContext {
  transport: Transport;
  token: TokenRenewal;
  retry: RetryOptions;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => string;
  /** The apply is stopping: no new attempt after a backoff. */
  stop: AbortSignal;
}

/** How a request's retries reach the state (each resolves once its records are durable). */
export interface RequestHooks {
  /** The attempt was not processed: journalled before the backoff. */
  notProcessed(records: JournalRecord[]): Promise<void>;
  /** Waits for the next attempt's send slot (a rate budget shared by workers). */
  pace?(): Promise<void>;
  /** In flight again: journalled just before the next attempt goes out. */
  resend(records: JournalRecord[]): Promise<void>;
}

const authFailed = (request: PlannedRequest, reason: string, httpStatus?: number) =>
  failedOutcome(request, reason, httpStatus, true);

/**
 * Sends one request, already journalled as in flight, until it has an outcome: retried (same
 * bulkId) only after answers proving it was not processed, each such answer journalled as failed
 * before the backoff and the request in flight again before the next attempt. The outcome's own
 * record is the caller's to commit.
 */
export async function sendRequest(
  request: PlannedRequest,
  ctx: AttemptContext,
  hooks: RequestHooks,
): Promise<RequestOutcome> {
  try {
    for (let attempt = 1; ; attempt++) {
      // A 401 to a request sent before the renewal began is the old token's; after it, a real refusal.
      const sentAfterRenewal = ctx.token.started;
      const sent = await ctx.transport.send(request.body);
      if (sent.kind === 'ok') return outcomeOfAnswer(request, sent.response.messages);
      const decision = decide(sent, attempt, ctx.retry);
      if (decision.kind === 'in-doubt') return inDoubtOutcome(request, decision.reason);
      if (decision.kind === 'failed')
        return failedOutcome(request, decision.reason, decision.httpStatus);
      if (decision.kind === 'refresh-token') {
        if (sentAfterRenewal)
          return authFailed(
            request,
            'the API refused the token again after a refresh (HTTP 401)',
            401,
          );
        try {
          await ctx.token.renew();
        } catch (error) {
          return authFailed(
            request,
            error instanceof AuthError ? error.message : `token refresh failed: ${String(error)}`,
            401,
          );
        }
        continue;
      }
      // The answer proved the request was not processed: journal that before waiting, so a crash
      // during the backoff leaves it to retry, not in doubt; and in flight again before it goes out.
      const notProcessed = failedOutcome(
        request,
        `not processed, retrying: ${sent.reason}`,
        sent.kind === 'http-error' ? sent.status : undefined,
      );
      await hooks.notProcessed(recordsOf(outcomeRecord(request, notProcessed, ctx.now())));
      await ctx.sleep(decision.delayMs, ctx.stop);
      await hooks.pace?.();
      // The last attempt was certainly not processed: the next plan retries it.
      if (ctx.stop.aborted)
        return failedOutcome(request, 'interrupted before the request went through');
      await hooks.resend([inFlightRecord(request, ctx.now())]);
    }
  } catch (error) {
    if (error instanceof AuthError) return authFailed(request, error.message);
    throw error;
  }
}

export const recordsOf = (record: JournalRecord | undefined): JournalRecord[] =>
  record ? [record] : [];
