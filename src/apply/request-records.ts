import type { RequestOutcome } from './apply-result.js';
import type { Plan } from '../plan/types.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import { storedContentOf } from '../state/stored-content.js';
import type { BreakerTrip, CanarySent, JournalRecord } from '../state/types.js';
import type { PlannedRequest } from './build-requests.js';

/**
 * Journalled before each attempt: a crash after it leaves the request's messages in doubt. It keeps
 * no full number (the messageId is derived from it) and no text: the masked number, the content's
 * hash and the hash of the spec's message as written.
 */
export function inFlightRecord(request: PlannedRequest, at: string): JournalRecord {
  // Version 7 only when it marks test messages: an older waspec then refuses the state instead of
  // taking them for messages to recipients; other records stay readable by it.
  const test = request.entries.some((e) => e.test);
  return {
    v: test ? 7 : 4,
    type: 'in-flight',
    at,
    bulkId: request.body.bulkId,
    messages: request.entries.map((e) => ({
      messageId: e.messageId,
      spec: e.spec,
      revision: e.revision,
      maskedPhoneNumber: maskPhone(e.phoneNumber),
      contentHash: e.contentHash,
      ...(e.writtenHash === undefined ? {} : { writtenHash: e.writtenHash }),
      ...(e.test ? { test: true as const } : {}),
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

/**
 * Each spec's message as written that the state does not keep yet goes into the journal once, with
 * the first request of the spec (a plan without the list, from an older waspec: each one sent,
 * once). Rendered contents are not kept: they hold recipients' values.
 */
export function contentRecorder(
  plan: Pick<Plan, 'specs' | 'contentsToStore'>,
): (request: PlannedRequest, at: string) => JournalRecord[] {
  const written = new Map(
    plan.specs.flatMap((s) => (s.written && s.writtenHash ? [[s.writtenHash, s.written]] : [])),
  );
  // An older plan's: every spec's (one whose messages are not sent has no request to go with).
  const toStore = new Set(
    plan.contentsToStore ?? plan.specs.flatMap((s) => (s.writtenHash ? [s.writtenHash] : [])),
  );
  return (request, at) => {
    const hash = request.entries[0]?.writtenHash;
    const content = hash === undefined ? undefined : written.get(hash);
    if (hash === undefined || !toStore.delete(hash) || !content) return [];
    return [{ v: 4, type: 'message', at, hash, ...storedContentOf(content) }];
  };
}

/** Journalled with the outcome that tripped the breaker: plan shows it until an apply sends again. */
export function breakerRecord(trip: BreakerTrip): JournalRecord {
  return { v: 5, type: 'breaker', ...trip };
}

/** The records of the canary `requests` sent and judged healthy: one per spec revision. */
export function canaryRecords(requests: readonly PlannedRequest[], at: string): JournalRecord[] {
  const sent = new Map<string, CanarySent>();
  for (const request of requests)
    for (const entry of request.entries) {
      const key = `${entry.spec}\u0000${entry.revision}`;
      const known = sent.get(key);
      if (known) known.messages++;
      else sent.set(key, { at, spec: entry.spec, revision: entry.revision, messages: 1 });
    }
  return [...sent.values()].map((s) => ({ v: 6, type: 'canary', ...s }));
}
