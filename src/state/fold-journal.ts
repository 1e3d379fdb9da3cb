import type { JournalRecord, MessageState } from './types.js';

/**
 * Folds one record into the state: an in-flight record (re)opens each message,
 * an outcome record closes it; the last outcome wins and sentAt stays the first in-flight time.
 */
export function foldRecord(messages: Map<string, MessageState>, record: JournalRecord): void {
  if (record.type === 'in-flight') {
    for (const m of record.messages) {
      const before = messages.get(m.messageId);
      messages.set(m.messageId, {
        messageId: m.messageId,
        spec: m.spec,
        revision: m.revision,
        phoneNumber: m.phoneNumber,
        maskedPhoneNumber: m.maskedPhoneNumber,
        contentHash: m.contentHash,
        bulkId: record.bulkId,
        sentAt: before?.sentAt ?? record.at,
        updatedAt: record.at,
        outcome: 'in-flight',
      });
    }
    return;
  }
  for (const r of record.results) {
    const state = messages.get(r.messageId);
    // An outcome without its in-flight record cannot be attributed to a spec: skip it.
    if (!state) continue;
    state.outcome = r.outcome;
    state.updatedAt = record.at;
    state.bulkId = record.bulkId;
    delete state.status;
    delete state.httpStatus;
    delete state.error;
    if (r.status !== undefined) state.status = r.status;
    if (r.httpStatus !== undefined) state.httpStatus = r.httpStatus;
    if (r.error !== undefined) state.error = r.error;
  }
}
