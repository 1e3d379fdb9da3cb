import type { JournalRecord, MessageState } from '../state/types.js';
import { revealOneLine as printable } from './reveal-invisible.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { listedOutcome, outcomeDetail } from './state-list.js';

/** One message: what the state says of it, then every journal record that concerns it. */
export function formatStateShow(state: MessageState, history: readonly JournalRecord[]): string {
  const rows: Array<[string, string]> = [
    ['messageId', state.messageId],
    ['spec', `${printable(state.spec)} (revision ${state.revision})`],
    // The state keeps no full number (an older one's was removed when it was read).
    ['phoneNumber', state.maskedPhoneNumber],
    ['kind', state.test ? 'test message (a seed of the spec)' : ''],
    ['outcome', listedOutcome(state)],
    ['detail', printable(outcomeDetail(state))],
    ['bulkId', state.bulkId],
    ['contentHash', state.contentHash],
    ['writtenHash', state.writtenHash ?? ''],
    ['first sent', state.sentAt],
    ['last change', state.updatedAt],
  ];
  // The state is untrusted input: ids, hashes and times are shown escaped like the free text.
  const lines = rows
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key.padEnd(12)} ${printable(value)}`);
  lines.push('', 'history:');
  for (const record of history)
    lines.push(printable(`  ${record.at}  ${describe(record, state.messageId)}`));
  return `${lines.join('\n')}\n`;
}

function describe(record: JournalRecord, messageId: string): string {
  if (record.type === 'in-flight') return `in flight      request ${record.bulkId}`;
  if (record.type === 'settle')
    return printable(`settled as ${record.as} by ${record.by}: ${record.reason}`);
  if (record.type === 'content' || record.type === 'message')
    return `${record.type} kept   ${record.hash}`;
  if (record.type === 'breaker') return `breaker        ${record.cause}`;
  if (record.type === 'canary') return `canary sent    ${record.spec} ${record.revision}`;
  const result = record.results.find((r) => r.messageId === messageId);
  const why = result?.status
    ? `${result.status.groupName} / ${result.status.name}`
    : (result?.error ?? '');
  return printable(
    `${(result?.outcome ?? '').padEnd(14)} request ${record.bulkId}${why ? `: ${why}` : ''}`,
  );
}

/** Whether a record concerns the message (content records are shared by many: none). */
export function mentions(record: JournalRecord, messageId: string): boolean {
  if (record.type === 'in-flight') return record.messages.some((m) => m.messageId === messageId);
  if (record.type === 'settle') return record.messageIds.includes(messageId);
  if (
    record.type === 'content' ||
    record.type === 'message' ||
    record.type === 'breaker' ||
    record.type === 'canary'
  )
    return false;
  return record.results.some((r) => r.messageId === messageId);
}

/** A message shown: what the state says of it and the journal records that concern it. */
export interface ShownMessage {
  state: MessageState;
  history: readonly JournalRecord[];
}

/** The messages shown (one by messageId, or every message to a phone number), one after another. */
export function formatShownMessages(shown: readonly ShownMessage[]): string {
  return shown.map(({ state, history }) => formatStateShow(state, history)).join('\n');
}

/**
 * As JSON: each message and how many records concern it; one object when asked by messageId,
 * an array when asked by phone number.
 */
export function formatShownMessagesJson(shown: readonly ShownMessage[], byId: boolean): string {
  const json = shown.map(({ state, history }) => ({ message: state, records: history.length }));
  return `${escapeInvisibleInJson(JSON.stringify(byId ? json[0] : json, null, 2))}\n`;
}
