// The frequency cap over typed arrays (apply-policies.ts) decides as the straightforward one it
// replaced: a map of each number's planned sends, counted against the state. That one is kept here
// as the reference; both run over seeded random plans and states, entry by entry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messageIdFor } from '../../../src/api/identity.js';
import type { FrequencyCap } from '../../../src/config/policy.js';
import { createRandom as random } from '../../../src/emulator/random.js';
import { applyPolicies, type SpecPolicy } from '../../../src/plan/policy/apply-policies.js';
import { decideCaps } from '../../../src/plan/policy/cap-policy.js';
import { isSending, type PlanEntry, type SendingEntry } from '../../../src/plan/types.js';
import { messagesOfNumber, specRevisions } from '../../../src/state/messages-of-number.js';
import type { MessageState, Outcome } from '../../../src/state/types.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const OUTCOMES: Outcome[] = ['accepted', 'accepted', 'in-flight', 'rejected', 'failed'];

/** The cap as it was: every number's sends in a map, then each number decided. */
function referenceCaps(
  entries: PlanEntry[],
  cap: FrequencyCap,
  specs: ReadonlyMap<string, SpecPolicy>,
  messages: ReadonlyMap<string, MessageState>,
): void {
  const inScope = (spec: string) => {
    const info = specs.get(spec);
    return cap.scope === undefined || info === undefined || info.category === cap.scope;
  };
  const planned = new Map<string, Array<[number, SendingEntry]>>();
  const plannedIds = new Set<string>();
  entries.forEach((entry, index) => {
    if (!isSending(entry) || entry.seed || !inScope(entry.spec)) return;
    const list = planned.get(entry.phoneNumber);
    if (list) list.push([index, entry]);
    else planned.set(entry.phoneNumber, [[index, entry]]);
    plannedIds.add(entry.messageId);
  });
  const since = NOW.getTime() - cap.perMs;
  const received = new Map<string, number>();
  const state = { messages };
  const pairs = specRevisions(messages.values()).filter((p) => inScope(p.spec));
  for (const phone of planned.keys())
    for (const m of messagesOfNumber(state, phone, pairs)) {
      if (m.outcome !== 'accepted' && m.outcome !== 'in-flight') continue;
      if (plannedIds.has(m.messageId) || Date.parse(m.sentAt) < since) continue;
      received.set(phone, (received.get(phone) ?? 0) + 1);
    }
  for (const [phone, list] of planned) {
    const already = received.get(phone) ?? 0;
    if (list.length + already <= cap.count) continue;
    const decisions = decideCaps(
      list.map(([, e]) => ({ spec: e.spec, priority: specs.get(e.spec)?.priority ?? 0 })),
      already,
      cap,
    );
    list.forEach(([index, entry], i) => {
      const d = decisions[i];
      if (d?.kind === 'capped')
        entries[index] = {
          ...entry,
          action: 'capped',
          hold: { was: entry.action, reason: d.reason },
        };
    });
  }
}

function scenario(seed: number) {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  // Numbers as compile writes them, with and without `+`, and one it could not read as digits.
  const phones = Array.from({ length: 2 + Math.floor(r() * 30) }, (_, i) =>
    i === 0 && r() < 0.3 ? 'not-a-number' : `${r() < 0.5 ? '+' : ''}4179${1000000 + i * 7}`,
  );
  const specs = new Map<string, SpecPolicy>();
  const names = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => `s${i}`);
  for (const name of names) {
    const category = pick(['marketing', 'service', undefined]);
    specs.set(name, { priority: Math.floor(r() * 3), ...(category ? { category } : {}) });
  }
  const entries: PlanEntry[] = [];
  // Specs interleaved and numbers repeated across specs, in a shuffled plan order.
  for (let k = 0; k < 60; k++) {
    const spec = pick(names);
    const phoneNumber = pick(phones);
    const messageId = messageIdFor(spec, 1, phoneNumber.replace('+', ''));
    if (entries.some((e) => e.messageId === messageId)) continue;
    const message = { messageId, spec, revision: 1, phoneNumber, contentHash: 'h' };
    const roll = r();
    entries.push(
      roll < 0.7
        ? { action: 'send', ...message, ...(r() < 0.1 ? { seed: true } : {}) }
        : roll < 0.85
          ? {
              action: 'retry',
              ...message,
              previous: {
                contentHash: 'h',
                outcome: 'failed',
                bulkId: 'b',
                sentAt: NOW.toISOString(),
              },
            }
          : {
              action: 'unchanged',
              ...message,
              previous: {
                contentHash: 'h',
                outcome: 'accepted',
                bulkId: 'b',
                sentAt: NOW.toISOString(),
              },
            },
    );
  }
  const messages = new Map<string, MessageState>();
  for (let i = 0; i < Math.floor(r() * 40); i++) {
    const spec = r() < 0.2 ? 'deleted-spec' : pick(names);
    const messageId = messageIdFor(spec, 1, pick(phones).replace('+', ''));
    const sentAt = new Date(NOW.getTime() - Math.floor(r() * 72) * 3_600_000).toISOString();
    messages.set(messageId, {
      messageId,
      spec,
      revision: 1,
      maskedPhoneNumber: '',
      contentHash: 'h',
      bulkId: 'b',
      sentAt,
      updatedAt: sentAt,
      outcome: pick(OUTCOMES),
    });
  }
  const scope = pick(['marketing', 'service', undefined]);
  const cap: FrequencyCap = {
    count: 1 + Math.floor(r() * 3),
    per: '24h',
    perMs: 86_400_000,
    ...(scope ? { scope } : {}),
  };
  return { entries, specs, messages, cap };
}

test('the cap holds the same messages, for the same reasons, as the map of numbers it replaced (500 seeded plans)', () => {
  let capped = 0;
  for (let seed = 1; seed <= 500; seed++) {
    const { entries, specs, messages, cap } = scenario(seed);
    const expected = entries.map((e) => ({ ...e }));
    referenceCaps(expected, cap, specs, messages);
    applyPolicies(entries, {
      policy: { maxPerRecipient: cap },
      suppressed: new Map(),
      specs,
      state: { messages },
      contents: {},
      now: NOW,
    });
    assert.equal(entries, expected, `seed ${seed}`);
    capped += entries.filter((e) => e.action === 'capped').length;
  }
  // The scenarios do reach the cap (the comparison is not of plans the cap leaves alone).
  assert.ok(capped > 500, `${capped} capped`);
});

test.run();
