import type { JournalRecord } from './types.js';

/**
 * A record as the state keeps it now: an in-flight record without full phone numbers (version 4),
 * no content record (it held a rendered, personal text); undefined when the record goes. Records
 * that hold no personal data come back as they are (the same object).
 */
export function compactRecord(record: JournalRecord): JournalRecord | undefined {
  if (record.type === 'content') return undefined;
  if (record.type !== 'in-flight' || !record.messages.some((m) => m.phoneNumber !== undefined))
    return record;
  return {
    ...record,
    v: 4,
    messages: record.messages.map(({ phoneNumber: _phoneNumber, ...kept }) => kept),
  };
}

/** What compacting changed. */
export interface CompactResult {
  records: number;
  /** In-flight records whose full numbers were removed. */
  rewritten: number;
  /** Content records (rendered texts) removed. */
  removed: number;
}

/** The records compacted, and what changed. */
export function compactRecords(records: readonly JournalRecord[]): {
  kept: JournalRecord[];
  result: CompactResult;
} {
  const kept: JournalRecord[] = [];
  let rewritten = 0;
  let removed = 0;
  for (const record of records) {
    const now = compactRecord(record);
    if (now === undefined) removed++;
    else {
      if (now !== record) rewritten++;
      kept.push(now);
    }
  }
  return { kept, result: { records: kept.length, rewritten, removed } };
}
