// Seeded random plans and states for the differential tests of the policies (a reference
// implementation against applyPolicies, entry by entry): the same scenarios for every policy.
import { messageIdFor } from '../../src/api/identity.js';
import type { MessageContent } from '../../src/api/types.js';
import type { SpecPolicy } from '../../src/plan/policy/apply-policies.js';
import type { PlanEntry } from '../../src/plan/types.js';
import type { MessageState, Outcome } from '../../src/state/types.js';
import { createRandom as random } from '../../src/emulator/random.js';

export const NOW = new Date('2026-03-10T12:00:00Z');
export const OUTCOMES: Outcome[] = ['accepted', 'accepted', 'in-flight', 'rejected', 'failed'];
const CATEGORIES = ['marketing', 'service', undefined] as const;

export interface PolicyScenario {
  entries: PlanEntry[];
  specs: Map<string, SpecPolicy>;
  state: { messages: Map<string, MessageState> };
  contents: Record<string, MessageContent>;
  /** The scenario's generator, going on: the policy's own settings are drawn from it. */
  r: () => number;
  pick: <T>(xs: readonly T[]) => T;
}

/** The state's record of a message of revision 1 (content, bulk and number left out). */
export function stateMessage(
  messageId: string,
  spec: string,
  sentAt: string,
  outcome: Outcome,
): MessageState {
  return {
    messageId,
    spec,
    revision: 1,
    maskedPhoneNumber: '',
    contentHash: 'h',
    bulkId: 'b',
    sentAt,
    updatedAt: sentAt,
    outcome,
  };
}

/**
 * A plan of sends (some seeds), retries and unchanged entries, specs interleaved and numbers
 * repeated across specs, written with and without `+` (some the same digits both ways, unless
 * `bothWays` is false), and text that is no number; specs of several priorities and categories;
 * contents with and without a sendAt. The state has messages to planned numbers and to others, of
 * specs planned and of specs gone, at times shared (one request), on the edge of the day before
 * and apart, of every outcome, some settled as not sent.
 */
export function policyScenario(
  seed: number,
  { bothWays = true }: { bothWays?: boolean } = {},
): PolicyScenario {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const phones = Array.from({ length: 2 + Math.floor(r() * 41) }, (_, i) => {
    if (i === 0 && r() < 0.3) return 'not-a-number';
    // Other text of the digits of the number after it (or, one way only, of its own).
    if (i === 1 && r() < 0.3) return `0041 79 ${1000000 + (bothWays ? 2 : 1) * 7}`;
    return `${r() < 0.5 ? '+' : ''}4179${1000000 + (bothWays ? i % 25 : i) * 7}`;
  });
  const digitsOf = (phone: string) => phone.replace(/\D/g, '');
  const specs = new Map<string, SpecPolicy>();
  const names = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => `s${i}`);
  for (const name of names) {
    const category = pick(CATEGORIES);
    specs.set(name, { priority: Math.floor(r() * 3), ...(category ? { category } : {}) });
  }
  const contents: Record<string, MessageContent> = {
    plain: { whatsApp: { text: 'hi' } },
    later: { whatsApp: { text: 'hi' }, sendAt: '2026-03-12T09:00:00.000Z' },
    sooner: { whatsApp: { text: 'hi' }, sendAt: '2026-03-10T13:00:00.000Z' },
  };
  const entries: PlanEntry[] = [];
  for (let k = 0; k < 80; k++) {
    const spec = pick(names);
    const phoneNumber = pick(phones);
    const messageId = messageIdFor(spec, 1, digitsOf(phoneNumber));
    if (entries.some((e) => e.messageId === messageId)) continue;
    const message = {
      messageId,
      spec,
      revision: 1,
      phoneNumber,
      contentHash: pick(Object.keys(contents)),
    };
    const previous = { contentHash: 'h', bulkId: 'b', sentAt: NOW.toISOString() };
    const roll = r();
    entries.push(
      roll < 0.72
        ? { action: 'send', ...message, ...(r() < 0.1 ? { seed: true } : {}) }
        : roll < 0.87
          ? { action: 'retry', ...message, previous: { ...previous, outcome: 'failed' } }
          : { action: 'unchanged', ...message, previous: { ...previous, outcome: 'accepted' } },
    );
  }
  const messages = new Map<string, MessageState>();
  for (let i = 0; i < Math.floor(r() * 60); i++) {
    const spec = r() < 0.25 ? `gone-${i % 3}` : pick(names);
    const digits = r() < 0.6 ? digitsOf(pick(phones)) : `4188${1000000 + i}`;
    const messageId = messageIdFor(spec, 1, digits);
    // Times shared by several (one request), on the edge of the day before, and apart.
    const when = r();
    const hours = when < 0.35 ? 5 : when < 0.5 ? 24 : Math.floor(r() * 72);
    const seconds = when < 0.5 ? 0 : Math.floor(r() * 3);
    const sentAt = new Date(NOW.getTime() - hours * 3_600_000 - seconds * 1000).toISOString();
    const message = stateMessage(messageId, spec, sentAt, pick(OUTCOMES));
    if (r() < 0.1) message.settled = { as: 'not-sent', by: 'x', at: sentAt, reason: 'r' };
    messages.set(messageId, message);
  }
  return { entries, specs, state: { messages }, contents, r, pick };
}
