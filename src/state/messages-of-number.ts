import { messageIdFor, seedMessageIdFor } from '../api/identity.js';
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

/**
 * The state's test messages to one number as a seed: their messageIds come from (spec, revision,
 * content hash, number), so each distinct (spec, revision, content) of the state's test messages is
 * looked up once (a handful: seeds get one message per content).
 */
export function testMessagesOfNumber(
  snapshot: Pick<StateSnapshot, 'messages'>,
  phone: string,
): MessageState[] {
  const digits = numberDigits(phone);
  const tried = new Set<string>();
  const found: MessageState[] = [];
  for (const m of snapshot.messages.values()) {
    if (!m.test) continue;
    const key = `${m.revision}\n${m.contentHash}\n${m.spec}`;
    if (tried.has(key)) continue;
    tried.add(key);
    const state = snapshot.messages.get(
      seedMessageIdFor(m.spec, m.revision, m.contentHash, digits),
    );
    if (state?.test) found.push(state);
  }
  return found.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
}
