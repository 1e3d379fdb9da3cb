// The messaging limit over columns (limit-policy.ts, apply-policies.ts) decides as the
// straightforward one it replaced (arrays of candidates and decisions, a map of recent recipients),
// kept here as the reference; both run over seeded random plans and states, entry by entry, with
// the figures the plan shows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sendAtOf } from '../../../src/plan/content-store.js';
import { messageIdFor } from '../../../src/api/identity.js';
import { setEntry, type EntryList } from '../../../src/plan/entry-list.js';
import { EntryTable } from '../../../src/plan/entry-table.js';
import {
  applyPolicies,
  type PolicyContext,
  type SpecPolicy,
} from '../../../src/plan/policy/apply-policies.js';
import { comparePrecedence, type CapCandidate } from '../../../src/plan/policy/cap-policy.js';
import {
  isSending,
  type HeldAction,
  type HeldEntry,
  type PlanEntry,
  type SendingEntry,
} from '../../../src/plan/types.js';
import { messagesOfNumber, specRevisions } from '../../../src/state/messages-of-number.js';
import type { MessageState } from '../../../src/state/types.js';
import { NOW, policyScenario, stateMessage } from '../../helpers/policy-scenario.js';

const DAY_MS = 86_400_000;

function held(entry: SendingEntry, action: HeldAction, reason: string): HeldEntry {
  return { ...entry, action, hold: { was: entry.action, reason } };
}

/** One message planned, in the order of the plan. */
interface LimitCandidate extends CapCandidate {
  phoneNumber: string;
}

interface LimitWindow {
  /** Unique recipients per moving window. */
  limit: number;
  windowMs: number;
  now: number;
  /** Recipients the state recorded in the window, with the time of their last message. */
  recent: ReadonlyMap<string, number>;
}

type LimitDecision = { kind: 'send' } | { kind: 'over'; at: number; reason: string };

/**
 * Which planned messages fit under the messaging limit: recipients already reached in the window
 * cost nothing more; new ones are admitted in precedence order (higher priority, then spec name)
 * while there is room. A recipient over the limit can go when a place frees: the window's
 * recipients leave it in the order they entered (`at`), the k-th one past the room in the k-th
 * freed place, a window later for each time round. Decisions are in the order of `candidates`.
 */
function referenceDecideLimit(
  candidates: readonly LimitCandidate[],
  window: LimitWindow,
): LimitDecision[] {
  const order = candidates
    .map((_, i) => i)
    .sort(
      (a, b) =>
        comparePrecedence(candidates[a] as CapCandidate, candidates[b] as CapCandidate) || a - b,
    );
  const room = Math.max(0, window.limit - window.recent.size);
  const admitted = new Set<string>();
  const over = new Map<string, number>();
  const decisions: LimitDecision[] = candidates.map(() => ({ kind: 'send' }));
  const waiting: number[] = [];
  for (const index of order) {
    const phone = (candidates[index] as LimitCandidate).phoneNumber;
    // Reached in the window, or admitted now: no new place taken.
    if (window.recent.has(phone) || admitted.has(phone)) continue;
    if (admitted.size < room) {
      admitted.add(phone);
      continue;
    }
    if (!over.has(phone)) over.set(phone, over.size);
    waiting.push(index);
  }
  if (waiting.length === 0) return decisions;
  // When each place of the full window frees: its recipient's last message plus the window.
  const frees = [
    ...[...window.recent.values()].map((t) => t + window.windowMs),
    ...[...admitted].map(() => window.now + window.windowMs),
  ].sort((a, b) => a - b);
  // More recorded than the limit: that many places must free before the first new one.
  const skip = Math.max(0, frees.length - window.limit);
  const places = frees.length - skip;
  const rule = `messaging limit of ${window.limit} unique recipients per 24 h: ${window.recent.size} reached in the last 24 h, ${admitted.size} more admitted first`;
  for (const index of waiting) {
    const k = over.get((candidates[index] as LimitCandidate).phoneNumber) ?? 0;
    const round = Math.floor(k / Math.max(places, 1));
    const at =
      places === 0
        ? window.now + window.windowMs
        : (frees[skip + (k % places)] ?? window.now) + round * window.windowMs;
    decisions[index] = {
      kind: 'over',
      at,
      reason: `${rule}; can go from ${new Date(at).toISOString()}`,
    };
  }
  return decisions;
}

function referenceLimit(entries: EntryList, context: PolicyContext): void {
  const limit = context.policy.messagingLimit;
  if (!limit) return;
  const now = context.now.getTime();
  const sending: Array<[number, SendingEntry]> = [];
  entries.forEach((entry, index) => {
    if (isSending(entry)) sending.push([index, entry]);
  });
  const recent = recentRecipients(
    context.state,
    sending.map(([, e]) => e.phoneNumber),
    now - DAY_MS,
  );
  const decisions = referenceDecideLimit(
    sending.map(([, e]) => ({
      phoneNumber: e.phoneNumber,
      spec: e.spec,
      priority: context.specs.get(e.spec)?.priority ?? 0,
    })),
    { limit, windowMs: DAY_MS, now, recent },
  );
  const mode = context.policy.overLimit ?? 'hold';
  let over = 0;
  let nextAt: number | undefined;
  const newRecipients = new Set<string>();
  sending.forEach(([index, entry], i) => {
    const d = decisions[i];
    if (d?.kind !== 'over') {
      if (!recent.has(entry.phoneNumber)) newRecipients.add(entry.phoneNumber);
      return;
    }
    over++;
    nextAt = Math.min(nextAt ?? d.at, d.at);
    if (mode === 'hold') {
      setEntry(entries, index, held(entry, 'limit', d.reason));
      return;
    }
    // A later wave: sent now with a sendAt, never earlier than a sendAt it already has.
    const sendAt = entry.shift?.sendAt ?? sendAtOf(context.contents, entry.contentHash);
    if (sendAt === undefined || Date.parse(sendAt) < d.at)
      setEntry(entries, index, {
        ...entry,
        shift: { sendAt: new Date(d.at).toISOString(), reason: d.reason },
      });
  });
  context.figures ??= {};
  context.figures.limit = {
    limit,
    recent: recent.size,
    admitted: newRecipients.size,
    over,
    mode,
    ...(nextAt === undefined ? {} : { nextAt: new Date(nextAt).toISOString() }),
  };
}

/**
 * The recipients the state reached after `since`, with the time of their last message. The state
 * keeps no numbers: a planned number's messages are found by their messageIds (as the cap does)
 * and keyed by the number; any other message counts as a recipient of its own, keyed by its
 * messageId, so one reached by several specs counts once per spec (more held, never more sent).
 */
function recentRecipients(
  state: PolicyContext['state'],
  planned: readonly string[],
  since: number,
): Map<string, number> {
  const counts = (m: MessageState) =>
    (m.outcome === 'accepted' || m.outcome === 'in-flight') &&
    m.settled?.as !== 'not-sent' &&
    Date.parse(m.sentAt) > since;
  const recent = new Map<string, number>();
  const matched = new Set<string>();
  const pairs = specRevisions(state.messages.values());
  for (const phone of new Set(planned)) {
    for (const m of messagesOfNumber(state, phone, pairs)) {
      if (!counts(m)) continue;
      matched.add(m.messageId);
      const at = Date.parse(m.sentAt);
      if (at > (recent.get(phone) ?? -Infinity)) recent.set(phone, at);
    }
  }
  for (const m of state.messages.values())
    if (!matched.has(m.messageId) && counts(m))
      recent.set(`\u0000${m.messageId}`, Date.parse(m.sentAt));
  return recent;
}

/** A seeded scenario and a limit of 1 to 30 recipients a day, held or scheduled past it. */
function scenario(seed: number) {
  const { entries, specs, state, contents, r, pick } = policyScenario(seed);
  return {
    entries,
    specs,
    messages: state.messages,
    contents,
    limit: 1 + Math.floor(r() * 30),
    mode: pick(['hold', 'schedule'] as const),
  };
}

test('the messaging limit holds or moves the same messages, with the same figures, as the arrays and map it replaced (600 seeded plans)', () => {
  let over = 0;
  for (let seed = 1; seed <= 600; seed++) {
    const { entries, specs, messages, contents, limit, mode } = scenario(seed);
    const context = (): PolicyContext => ({
      policy: { messagingLimit: limit, overLimit: mode },
      suppressed: new Map(),
      specs,
      state: { messages },
      contents,
      now: NOW,
    });
    const expected = entries.map((e) => ({ ...e }));
    const reference = context();
    referenceLimit(expected, reference);
    const actual = context();
    applyPolicies(entries, actual);
    assert.equal(entries, expected, `seed ${seed}`);
    assert.equal(actual.figures, reference.figures, `seed ${seed}: figures`);
    over += actual.figures?.limit?.over ?? 0;
  }
  // The scenarios do go over the limit.
  assert.ok(over > 600, `${over} over`);
});

/**
 * A state of n messages of a spec gone, each at its own time in the last 24 hours, and 3n/2 new
 * recipients in two specs of two priorities (some moved out of quiet hours before, some with a
 * later sendAt), under a limit of 5n/4: n/4 admitted, the others each over until its own time.
 */
function manyTimes(n: number) {
  const messages = new Map<string, MessageState>();
  for (let i = 0; i < n; i++) {
    const messageId = messageIdFor('gone', 1, `4188${1_000_000 + i}`);
    const sentAt = new Date(NOW.getTime() - 20 * 3_600_000 + i * 1_001).toISOString();
    messages.set(messageId, stateMessage(messageId, 'gone', sentAt, 'accepted'));
  }
  const entries: PlanEntry[] = [];
  for (let i = 0; i < (3 * n) / 2; i++) {
    const spec = i % 2 === 0 ? 'a' : 'b';
    const phoneNumber = `4179${2_000_000 + i}`;
    entries.push({
      action: 'send',
      messageId: messageIdFor(spec, 1, phoneNumber),
      spec,
      revision: 1,
      phoneNumber,
      contentHash: i % 5 === 0 ? 'later' : 'plain',
      ...(i % 7 === 0
        ? { shift: { sendAt: '2026-03-10T18:00:00.000Z', reason: 'moved out of quiet hours' } }
        : {}),
    });
  }
  return {
    entries,
    specs: new Map<string, SpecPolicy>([
      ['a', { priority: 1 }],
      ['b', { priority: 0 }],
    ]),
    messages,
    limit: (5 * n) / 4,
  };
}

test('over the entry table, messages held or moved each until its own time read as the reference made them; the table keeps one text for them', () => {
  for (const mode of ['hold', 'schedule'] as const) {
    const kept = [400, 4000].map((n) => {
      const { entries, specs, messages, limit } = manyTimes(n);
      const context = (): PolicyContext => ({
        policy: { messagingLimit: limit, overLimit: mode },
        suppressed: new Map(),
        specs,
        state: { messages },
        contents: {
          plain: { whatsApp: { text: 'hi' } },
          later: { whatsApp: { text: 'hi' }, sendAt: '2026-03-12T09:00:00.000Z' },
        },
        now: NOW,
      });
      const expected = entries.map((e) => ({ ...e }));
      const reference = context();
      referenceLimit(expected, reference);
      const table = new EntryTable(new Map());
      for (const entry of entries) table.push(entry);
      table.seal();
      const actual = context();
      applyPolicies(table, actual);
      // As JSON: what the plan's outputs read, key order too.
      assert.ok(
        JSON.stringify([...table]) === JSON.stringify(expected),
        `${mode}, ${n}: the entries`,
      );
      assert.equal(actual.figures, reference.figures, `${mode}, ${n}: figures`);
      const reasons = new Set(
        expected.map((e) =>
          'hold' in e ? e.hold.reason : 'shift' in e ? e.shift?.reason : undefined,
        ),
      );
      // Each over the limit has a time of its own (those past the state's n share one, a day on;
      // one with a later sendAt is not moved).
      assert.ok(reasons.size > n / 2, `${mode}, ${n}: ${reasons.size} reasons`);
      return table.extrasKept;
    });
    // Ten times the times, the same texts kept.
    assert.is(kept[1], kept[0], `${mode}: ${kept.join(', ')} texts kept`);
    assert.ok((kept[0] ?? 0) <= 3, `${mode}: ${kept.join(', ')} texts kept`);
  }
});

test.run();
