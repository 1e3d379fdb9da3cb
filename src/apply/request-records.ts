import type { RequestOutcome } from './apply-result.js';
import type { Plan } from '../plan/types.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import { storedContentOf } from '../state/stored-content.js';
import type { JournalRecord } from '../state/types.js';
import type { PlannedRequest } from './build-requests.js';

/** Journalled before each attempt: a crash after it leaves the request's messages in doubt. */
export function inFlightRecord(request: PlannedRequest, at: string): JournalRecord {
  return {
    v: 1,
    type: 'in-flight',
    at,
    bulkId: request.body.bulkId,
    messages: request.entries.map((e) => ({
      messageId: e.messageId,
      spec: e.spec,
      revision: e.revision,
      phoneNumber: e.phoneNumber,
      maskedPhoneNumber: maskPhone(e.phoneNumber),
      contentHash: e.contentHash,
    })),
  };
}

/** The journal record of an outcome; none for messages in doubt (their in-flight record says so). */
export function outcomeRecord(
  request: PlannedRequest,
  outcome: RequestOutcome,
  at: string,
): JournalRecord | undefined {
  const bulkId = request.body.bulkId;
  if (outcome.kind === 'in-doubt') return undefined;
  if (outcome.kind === 'failed') {
    const { reason: error, httpStatus } = outcome;
    return {
      v: 1,
      type: 'outcome',
      at,
      bulkId,
      results: request.entries.map((e) => ({
        messageId: e.messageId,
        outcome: 'failed',
        error,
        ...(httpStatus === undefined ? {} : { httpStatus }),
      })),
    };
  }
  const results = outcome.messages.flatMap((m) =>
    m.outcome === 'in-doubt'
      ? []
      : [{ messageId: m.messageId, outcome: m.outcome, status: m.status }],
  );
  return results.length > 0 ? { v: 1, type: 'outcome', at, bulkId, results } : undefined;
}

/** The content a request carries (its entries share one: requests are grouped by content). */
const contentHashOf = (request: PlannedRequest) => request.entries[0]?.contentHash ?? '';

/**
 * Each content the state does not keep yet goes into the journal once, with the first request
 * that carries it (a plan without the list, from an older waspec: each content sent, once).
 */
export function contentRecorder(
  plan: Pick<Plan, 'contents' | 'contentsToStore'>,
  requests: readonly PlannedRequest[],
): (request: PlannedRequest, at: string) => JournalRecord[] {
  const toStore = new Set(plan.contentsToStore ?? requests.map(contentHashOf));
  return (request, at) => {
    const hash = contentHashOf(request);
    const content = plan.contents[hash];
    if (!toStore.delete(hash) || !content) return [];
    return [{ v: 3, type: 'content', at, hash, ...storedContentOf(content) }];
  };
}
