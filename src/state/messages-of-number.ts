import { messageIdFor } from '../api/identity.js';
import type { MessageState, StateSnapshot } from './types.js';

/** The digits a messageId is derived from: `+41 79 302 67 27` and `0041793026727` are 41793026727. */
export function numberDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return phone.trim().startsWith('+') ? digits : digits.replace(/^00/, '');
}

/** Each spec and revision the state holds messages of, once. */
export function specRevisions(
  messages: Iterable<MessageState>,
): Array<{ spec: string; revision: number }> {
  const seen = new Map<string, { spec: string; revision: number }>();
  for (const m of messages) {
    const key = `${m.revision}\n${m.spec}`;
    if (!seen.has(key)) seen.set(key, { spec: m.spec, revision: m.revision });
  }
  return [...seen.values()];
}

/**
 * The state's messages to one number. The state keeps no numbers: each (spec, revision) it holds
 * gives the messageId that number would have, which is looked up (work in proportion to the specs).
 */
export function messagesOfNumber(
  snapshot: Pick<StateSnapshot, 'messages'>,
  phone: string,
  pairs = specRevisions(snapshot.messages.values()),
): MessageState[] {
  const digits = numberDigits(phone);
  const found: MessageState[] = [];
  for (const { spec, revision } of pairs) {
    const state = snapshot.messages.get(messageIdFor(spec, revision, digits));
    if (state) found.push(state);
  }
  return found;
}
