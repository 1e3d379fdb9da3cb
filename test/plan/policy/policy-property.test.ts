// Property: over random specs, states and lists (seeded, bounded), no plan sends a suppressed
// number and no number gets more in-scope messages than the cap leaves room for.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messageIdFor } from '../../../src/api/identity.js';
import type { FrequencyCap } from '../../../src/config/policy.js';
import { createRandom as random } from '../../../src/emulator/random.js';
import { applyPolicies, type SpecPolicy } from '../../../src/plan/policy/apply-policies.js';
import type { PlanEntry, PreviousRecord, StateAction } from '../../../src/plan/types.js';
import type { MessageState } from '../../../src/state/types.js';
import type { Suppression } from '../../../src/suppressions/types.js';
import { NOW, OUTCOMES, stateMessage } from '../../helpers/policy-scenario.js';

const CATEGORIES = ['marketing', 'service', undefined];
const ACTIONS: StateAction[] = [
  'send',
  'send',
  'send',
  'retry',
  'unchanged',
  'rejected',
  'in-doubt',
];
/** What the state has of a message that is not a plain send (applyPolicies does not read it). */
const PREVIOUS: PreviousRecord = {
  contentHash: 'h',
  outcome: 'failed',
  bulkId: 'b',
  sentAt: NOW.toISOString(),
};

function scenario(seed: number) {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const phones = Array.from(
    { length: 2 + Math.floor(r() * 8) },
    (_, i) => `4179${String(1000000 + i)}`,
  );
  const specs = new Map<string, SpecPolicy>();
  const specNames = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => `s${i}`);
  for (const name of specNames) {
    const category = pick(CATEGORIES);
    specs.set(name, { priority: Math.floor(r() * 3), ...(category ? { category } : {}) });
  }
  const entries: PlanEntry[] = [];
  for (const spec of specNames) {
    for (const phone of phones) {
      if (r() < 0.3) continue;
      const action = pick(ACTIONS);
      const message = {
        messageId: `${spec}/${phone}`,
        spec,
        revision: 1,
        phoneNumber: phone,
        contentHash: 'h',
      };
      entries.push(
        action === 'send' ? { action, ...message } : { action, ...message, previous: PREVIOUS },
      );
    }
  }
  const messages = new Map<string, MessageState>();
  // The state keeps no numbers: the oracle knows each message's number from here.
  const numberOf = new Map<string, string>();
  for (let i = 0; i < Math.floor(r() * 12); i++) {
    const spec = r() < 0.2 ? 'deleted-spec' : pick(specNames);
    const phone = pick(phones);
    const messageId = messageIdFor(spec, 1, phone);
    numberOf.set(messageId, phone);
    const sentAt = new Date(NOW.getTime() - Math.floor(r() * 72) * 3_600_000).toISOString();
    messages.set(messageId, stateMessage(messageId, spec, sentAt, pick(OUTCOMES)));
  }
  const suppressed = new Map<string, Suppression>(
    phones.filter(() => r() < 0.25).map((p) => [p, { source: 'list.csv' }]),
  );
  const scope = pick(CATEGORIES);
  const cap: FrequencyCap = {
    count: 1 + Math.floor(r() * 2),
    per: '24h',
    perMs: 86_400_000,
    ...(scope ? { scope } : {}),
  };
  return { entries, specs, messages, numberOf, suppressed, cap };
}

test('no plan sends a suppressed number or more than the cap allows (300 seeded scenarios)', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { entries, specs, messages, numberOf, suppressed, cap } = scenario(seed);
    const before = entries.map((e) => e.action);
    applyPolicies(entries, {
      policy: { maxPerRecipient: cap },
      suppressed,
      specs,
      state: { messages },
      contents: {},
      now: NOW,
    });
    const inScope = (spec: string) =>
      cap.scope === undefined || !specs.has(spec) || specs.get(spec)?.category === cap.scope;
    const sending = entries.filter((e) => e.action === 'send' || e.action === 'retry');
    for (const e of sending)
      assert.not.ok(
        suppressed.has(e.phoneNumber),
        `seed ${seed}: ${e.messageId} sends a suppressed number`,
      );
    for (const phone of new Set(entries.map((e) => e.phoneNumber))) {
      const received = [...messages.values()].filter(
        (m) =>
          numberOf.get(m.messageId) === phone &&
          (m.outcome === 'accepted' || m.outcome === 'in-flight') &&
          Date.parse(m.sentAt) >= NOW.getTime() - cap.perMs &&
          inScope(m.spec),
      ).length;
      const sent = sending.filter((e) => e.phoneNumber === phone && inScope(e.spec)).length;
      assert.ok(
        sent <= Math.max(0, cap.count - received),
        `seed ${seed}: ${phone} gets ${sent} with ${received} received, cap ${cap.count}`,
      );
    }
    // Only what would have been sent is held; nothing else changes.
    entries.forEach((e, i) => {
      if (before[i] !== 'send' && before[i] !== 'retry')
        assert.is(e.action, before[i], `seed ${seed}: ${e.messageId}`);
      else if (e.action !== before[i])
        assert.is('hold' in e ? e.hold.was : undefined, before[i], `seed ${seed}: ${e.messageId}`);
    });
  }
});

test.run();
