import type { ApiResponse, RequestBody } from '../api/types.js';

/**
 * What one POST came to. The transport never retries on its own; apply owns the retry policy
 * because a blind POST retry can send a message twice.
 */
export type SendResult =
  | { kind: 'ok'; response: ApiResponse }
  /** The request was certainly not processed (refused before the body was written); safe to retry. */
  | { kind: 'not-sent'; reason: string }
  /** HTTP error answer. retryAfterMs is set for 429 with Retry-After. */
  | { kind: 'http-error'; status: number; reason: string; retryAfterMs?: number }
  /** Timeout or reset after the body was sent, or an unreadable answer: the outcome is unknown. */
  | { kind: 'unknown'; reason: string };

export interface Transport {
  send(body: RequestBody, signal?: AbortSignal): Promise<SendResult>;
  /** Drop the cached token and get a new one (after a 401). Throws AuthError when it cannot. */
  refreshToken(): Promise<void>;
  close(): void;
}
