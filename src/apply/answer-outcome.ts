import { classifyStatus } from '../api/status-groups.js';
import type { ApiStatus } from '../api/types.js';
import type { MessageOutcome, RequestOutcome } from './apply-result.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import type { PlannedRequest } from './build-requests.js';

const problem = (request: PlannedRequest, reason: string) => ({
  bulkId: request.body.bulkId,
  messages: request.entries.length,
  numbers: request.entries.map((e) => maskPhone(e.phoneNumber)),
  specs: request.entries.map((e) => e.spec),
  reason,
});

/**
 * Each destination's outcome from the API's answer: a known accepting or rejecting status group
 * decides it; an unknown group, or a destination the answer leaves out, is in doubt (never guessed).
 */
export function outcomeOfAnswer(
  request: PlannedRequest,
  answer: ReadonlyArray<{ messageId: string; status: ApiStatus }>,
): RequestOutcome {
  const byId = new Map(answer.map((m) => [m.messageId, m.status]));
  const messages = request.entries.map(({ messageId, phoneNumber, spec }): MessageOutcome => {
    const status = byId.get(messageId);
    // Named (masked) only when not accepted: the summary lists those.
    const named = () => ({ number: maskPhone(phoneNumber), spec });
    if (!status) return { messageId, outcome: 'in-doubt', ...named() };
    const statusClass = classifyStatus(status);
    return statusClass === 'unknown'
      ? { messageId, outcome: 'in-doubt', status, ...named() }
      : statusClass === 'rejected'
        ? { messageId, outcome: statusClass, status, ...named() }
        : { messageId, outcome: statusClass, status };
  });
  return { kind: 'answered', bulkId: request.body.bulkId, messages };
}

/** The request was not processed, or was refused: every message failed (the next plan retries it). */
export function failedOutcome(
  request: PlannedRequest,
  reason: string,
  httpStatus?: number,
  authFailure = false,
): RequestOutcome {
  return {
    kind: 'failed',
    ...problem(request, reason),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(authFailure ? { authFailure } : {}),
  };
}

/** The request went out and no answer came back: the API may have it. */
export function inDoubtOutcome(request: PlannedRequest, reason: string): RequestOutcome {
  return { kind: 'in-doubt', ...problem(request, reason) };
}
