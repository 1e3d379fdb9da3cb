import type { SendResult } from '../transport/types.js';

export interface RetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Attempts when the API keeps answering 429: it asked us to wait, so waiting longer is right. */
  maxThrottledAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  maxThrottledAttempts: 30,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

export type Decision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'refresh-token' }
  | { kind: 'failed'; reason: string; httpStatus?: number }
  | { kind: 'in-doubt'; reason: string };

/** HTTP statuses after which the request was not processed and can be sent again safely. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * What to do after one attempt. Only answers that prove the request was not processed are retried:
 * a blind retry could send a message twice. (The reference documents 500 as "check the values",
 * so a 500 fails the messages instead of retrying them.)
 */
export function decide(
  result: Exclude<SendResult, { kind: 'ok' }>,
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): Decision {
  const backoff = () =>
    Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1)) * random();
  if (result.kind === 'unknown') return { kind: 'in-doubt', reason: result.reason };
  const retryable = result.kind === 'not-sent' || RETRYABLE_STATUS.has(result.status);
  if (result.kind === 'http-error' && result.status === 401) return { kind: 'refresh-token' };
  if (retryable) {
    const throttled = result.kind === 'http-error' && result.status === 429;
    if (attempt >= (throttled ? options.maxThrottledAttempts : options.maxAttempts)) {
      return {
        kind: 'failed',
        reason: `gave up after ${attempt} attempts: ${result.reason}`,
        ...(result.kind === 'http-error' ? { httpStatus: result.status } : {}),
      };
    }
    // Jitter on top of Retry-After, so throttled requests do not all come back at once.
    const delayMs =
      result.kind === 'http-error' && result.retryAfterMs !== undefined
        ? Math.min(options.maxDelayMs, result.retryAfterMs + random() * options.baseDelayMs * 2)
        : backoff();
    return { kind: 'retry', delayMs };
  }
  return { kind: 'failed', reason: result.reason, httpStatus: result.status };
}
