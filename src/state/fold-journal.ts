import {
  canaryKey,
  type BreakerTrip,
  type CanarySent,
  type JournalRecord,
  type MessageState,
  type StateSnapshot,
} from './types.js';

/** What folding builds: the messages, and the hashes of the contents kept (each hash string once). */
export interface FoldedState {
  messages: Map<string, MessageState>;
  contents: Map<string, string>;
  /** The last breaker trip, cleared by the next in-flight record (an apply that sent again). */
  breaker?: BreakerTrip;
  /** The canaries sent, by canaryKey. */
  canaries?: Map<string, CanarySent>;
}

export function emptyFold(): FoldedState {
  return { messages: new Map(), contents: new Map() };
}

/** The snapshot's view of a fold (its content hashes as a set sharing the messages' strings). */
export function foldedSnapshot(
  folded: FoldedState,
): Pick<StateSnapshot, 'messages' | 'contents' | 'breaker' | 'canaries'> {
  return {
    messages: folded.messages,
    contents: new Set(folded.contents.keys()),
    ...(folded.breaker ? { breaker: folded.breaker } : {}),
    ...(folded.canaries ? { canaries: folded.canaries } : {}),
  };
}

/**
 * Folds one record into the state: an in-flight record (re)opens each message,
 * an outcome record closes it; the last outcome wins and sentAt stays the first in-flight time.
 * A content record only notes that the state keeps that content.
 */
export function foldRecord(folded: FoldedState, record: JournalRecord): void {
  const { messages, contents } = folded;
  if (record.type === 'content' || record.type === 'message') {
    if (!contents.has(record.hash)) contents.set(record.hash, record.hash);
    return;
  }
  if (record.type === 'canary') {
    const { v: _v, type: _type, ...sent } = record;
    (folded.canaries ??= new Map()).set(canaryKey(sent.spec, sent.revision), sent);
    return;
  }
  if (record.type === 'breaker') {
    const { v: _v, type: _type, ...trip } = record;
    folded.breaker = trip;
    return;
  }
  if (record.type === 'in-flight') {
    delete folded.breaker;
    for (const m of record.messages) {
      const before = messages.get(m.messageId);
      messages.set(m.messageId, {
        messageId: m.messageId,
        spec: m.spec,
        revision: m.revision,
        maskedPhoneNumber: m.maskedPhoneNumber,
        // The content record's string: a million messages of one content hold it once.
        contentHash: contents.get(m.contentHash) ?? m.contentHash,
        ...(m.writtenHash === undefined
          ? {}
          : { writtenHash: contents.get(m.writtenHash) ?? m.writtenHash }),
        bulkId: record.bulkId,
        sentAt: before?.sentAt ?? record.at,
        updatedAt: record.at,
        outcome: 'in-flight',
        ...(m.test ? { test: true as const } : {}),
      });
    }
    return;
  }
  if (record.type === 'settle') return settle(messages, record);
  for (const r of record.results) {
    const state = messages.get(r.messageId);
    // An outcome without its in-flight record cannot be attributed to a spec: skip it.
    if (!state) continue;
    state.outcome = r.outcome;
    state.updatedAt = record.at;
    delete state.settled;
    state.bulkId = record.bulkId;
    delete state.status;
    delete state.httpStatus;
    delete state.error;
    if (r.status !== undefined) state.status = r.status;
    if (r.httpStatus !== undefined) state.httpStatus = r.httpStatus;
    if (r.error !== undefined) state.error = r.error;
  }
}

/** A settled message ends accepted, or failed (so the next apply sends it) when it was not sent. */
function settle(
  messages: Map<string, MessageState>,
  record: Extract<JournalRecord, { type: 'settle' }>,
): void {
  for (const messageId of record.messageIds) {
    const state = messages.get(messageId);
    if (!state) continue;
    delete state.status;
    delete state.httpStatus;
    delete state.error;
    state.outcome = record.as === 'accepted' ? 'accepted' : 'failed';
    if (record.as === 'not-sent')
      state.error = `settled as not sent by ${record.by}: ${record.reason}`;
    state.updatedAt = record.at;
    state.settled = { as: record.as, by: record.by, at: record.at, reason: record.reason };
  }
}
