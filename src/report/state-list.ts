import { noun } from './plural.js';
import type { MessageState } from '../state/types.js';
import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { revealOneLine as printable } from './reveal-invisible.js';

/** `in-doubt` is how people name a message journalled in flight with no answer. */
export type ListedOutcome = 'accepted' | 'rejected' | 'failed' | 'in-doubt';
export const LISTED_OUTCOMES: readonly ListedOutcome[] = [
  'accepted',
  'rejected',
  'failed',
  'in-doubt',
];

export function listedOutcome(state: MessageState): ListedOutcome {
  return state.outcome === 'in-flight' ? 'in-doubt' : state.outcome;
}

/** Why a message is where it is, in a few words. */
export function outcomeDetail(state: MessageState): string {
  if (state.settled)
    return `settled as ${state.settled.as} by ${state.settled.by}: ${state.settled.reason}`;
  if (state.status)
    return `${state.status.groupId} ${state.status.groupName} / ${state.status.name}`;
  if (state.error)
    return state.httpStatus ? `HTTP ${state.httpStatus}: ${state.error}` : state.error;
  return state.outcome === 'in-flight' ? 'sent, no answer recorded' : '';
}

/** One line per message: messageId, spec@revision, number, outcome, last change, detail. */
export function formatStateList(messages: readonly MessageState[]): string {
  const lines = messages.map((m) =>
    [
      printable(m.messageId),
      `${printable(m.spec)}@${m.revision}`,
      m.maskedPhoneNumber,
      listedOutcome(m).padEnd(8),
      printable(m.updatedAt),
      printable(outcomeDetail(m)),
    ]
      .join('  ')
      .trimEnd(),
  );
  const counts = new Map<ListedOutcome, number>();
  for (const m of messages) counts.set(listedOutcome(m), (counts.get(listedOutcome(m)) ?? 0) + 1);
  const summary = LISTED_OUTCOMES.flatMap((o) => {
    const n = counts.get(o);
    return n === undefined ? [] : [`${n} ${o}`];
  });
  lines.push(
    `${messages.length} ${noun(messages.length, 'message')}${summary.length > 0 ? `: ${summary.join(', ')}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The messages as a JSON array (invisible characters escaped; the state keeps masked numbers only). */
export function formatStateListJson(messages: readonly MessageState[]): string {
  return `${escapeInvisibleInJson(JSON.stringify(messages, null, 2))}\n`;
}
