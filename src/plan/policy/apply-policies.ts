import { setEntry, type EntryList } from '../entry-list.js';
import type { Policy, QuietHours } from '../../config/policy.js';
import { messagesOfNumber, numberDigits, specRevisions } from '../../state/messages-of-number.js';
import { makeDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { MessageContent } from '../../api/types.js';
import type { MessageState, StateSnapshot } from '../../state/types.js';
import { sendAtOf } from '../content-store.js';
import type { Suppression } from '../../suppressions/types.js';
import {
  isSending,
  type HeldAction,
  type HeldEntry,
  type PlanEntry,
  type SendingEntry,
} from '../types.js';
import { comparePrecedence, decideCaps } from './cap-policy.js';
import { decideLimit, type RecentRecipients } from './limit-policy.js';
import { distinctKeys, isDigitsKey, NumberKeys, placeOf } from './number-keys.js';
import { decideQuietHours, type QuietDecision } from './quiet-hours-policy.js';
import { decideSize } from './size-policy.js';
import { decideSuppression } from './suppression-policy.js';
import { offsetOf, zonesOfPhoneNumber } from './time-zones.js';

/** What a spec contributes to the policy (every spec of the workspace, not only the targets). */
export interface SpecPolicy {
  category?: string;
  priority: number;
  maxRecipients?: number;
  /** Where maxRecipients is written, for the diagnostic. */
  where?: { file?: string; line?: number; column?: number };
}

/** What the messaging limit found, for the plan (`messagingLimit`). */
export interface LimitFigures {
  limit: number;
  /** Unique recipients the state recorded in the last 24 hours. */
  recent: number;
  /** New unique recipients this apply reaches. */
  admitted: number;
  /** Messages held (hold) or moved to a later wave (schedule). */
  over: number;
  mode: 'hold' | 'schedule';
  /** When the first message over the limit can go. */
  nextAt?: string;
}

export interface PolicyContext {
  policy: Policy;
  /** Filled in by the messaging limit, when the policy has one. */
  figures?: { limit?: LimitFigures };
  suppressed: ReadonlyMap<string, Suppression>;
  specs: ReadonlyMap<string, SpecPolicy>;
  state: Pick<StateSnapshot, 'messages'>;
  contents: Readonly<Record<string, MessageContent>>;
  now: Date;
  allowLarge?: number;
}

function held(entry: SendingEntry, action: HeldAction, reason: string): HeldEntry {
  return { ...entry, action, hold: { was: entry.action, reason } };
}

/**
 * The audience safety rules, in this order: suppressed numbers are never sent; then quiet hours
 * (held or moved); then frequency caps over what is still sent; then size guards over the result.
 * Seeds (test messages) are suppressed like anyone and count in the messaging limit (WhatsApp
 * counts them); quiet hours, caps and size guards are about the audience and leave them out.
 * Changes `entries` in place (a held entry replaces its send); size errors are returned as diagnostics.
 */
export function applyPolicies(entries: EntryList, context: PolicyContext): Diagnostic[] {
  entries.forEach((entry, index) => {
    if (!isSending(entry)) return;
    const decision = decideSuppression(entry.phoneNumber, context.suppressed);
    if (decision.kind === 'suppressed')
      setEntry(entries, index, held(entry, 'suppressed', decision.reason));
  });
  if (context.policy.quietHours) applyQuietHours(entries, context);
  if (context.policy.maxPerRecipient) applyCaps(entries, context);
  if (context.policy.messagingLimit) applyMessagingLimit(entries, context);
  return checkSizes(entries, context);
}

function applyQuietHours(entries: EntryList, context: PolicyContext): void {
  const quiet = context.policy.quietHours;
  if (!quiet) return;
  const decide = quietHoursDecider(quiet, context.contents, context.now);
  entries.forEach((entry, index) => {
    // Seeds are internal phones whose owners wait to look at the message now: not held or moved.
    if (!isSending(entry) || entry.seed) return;
    const decision = decide(entry);
    if (decision.kind === 'hold')
      setEntry(entries, index, held(entry, 'quiet-hours', decision.reason));
    else if (decision.kind === 'shift')
      setEntry(entries, index, {
        ...entry,
        shift: { sendAt: decision.sendAt, reason: decision.reason },
      });
  });
}

/** The quiet-hours decision of each entry at its send time (its sendAt, or `now`). */
export function quietHoursDecider(
  quiet: QuietHours,
  contents: PolicyContext['contents'],
  now: Date,
): (entry: SendingEntry) => QuietDecision {
  // Sends share few instants (now, or a spec's sendAt) and countries: decide each pair once.
  const decided = new Map<string, QuietDecision>();
  return (entry) => {
    const sendAt = entry.shift?.sendAt ?? sendAtOf(contents, entry.contentHash);
    const at = sendAt === undefined ? now : new Date(sendAt);
    const { country, zones } = zonesOfPhoneNumber(entry.phoneNumber);
    const key = `${country}\u0000${at.getTime()}`;
    let decision = decided.get(key);
    if (!decision) {
      decision = decideQuietHours(at, zones, quiet, offsetOf);
      decided.set(key, decision);
    }
    return decision;
  };
}

function applyCaps(entries: EntryList, context: PolicyContext): void {
  const cap = context.policy.maxPerRecipient;
  if (!cap) return;
  // A spec no longer in the workspace has no known category: its messages count in every scope.
  const inScope = (spec: string) => {
    const info = context.specs.get(spec);
    return cap.scope === undefined || info === undefined || info.category === cap.scope;
  };
  // The cap protects recipients: a seed's test message is neither capped nor counted.
  const counted = (entry: PlanEntry): entry is SendingEntry =>
    isSending(entry) && !entry.seed && inScope(entry.spec);
  // Per planned send, its number as a key and its index in `entries`, grouped by number in plan
  // order: typed arrays (16 bytes a send) instead of a map of numbers to lists of entries.
  const numbers = new NumberKeys();
  let n = 0;
  entries.forEach((entry) => {
    if (counted(entry)) n++;
  });
  const keys = new Float64Array(n);
  const at = new Uint32Array(n);
  n = 0;
  entries.forEach((entry, index) => {
    if (!counted(entry)) return;
    keys[n] = numbers.key(entry.phoneNumber);
    at[n++] = index;
  });
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  const since = context.now.getTime() - cap.perMs;
  // The state keeps no numbers: a planned number's earlier messages are found by their messageIds.
  const pairs = specRevisions(context.state.messages.values()).filter((p) => inScope(p.spec));
  for (let start = 0; start < n;) {
    const key = keys[order[start] as number] as number;
    let end = start + 1;
    while (end < n && keys[order[end] as number] === key) end++;
    const list: Array<[number, SendingEntry]> = [];
    for (let i = start; i < end; i++) {
      const index = at[order[i] as number] as number;
      list.push([index, entries.at(index) as SendingEntry]);
    }
    start = end;
    const phone = numbers.phone(key);
    let already = 0;
    for (const m of pairs.length === 0 ? [] : messagesOfNumber(context.state, phone, pairs)) {
      // Accepted or in doubt (it may have arrived); a message planned again now is counted once, as planned.
      if (m.outcome !== 'accepted' && m.outcome !== 'in-flight') continue;
      if (Date.parse(m.sentAt) < since || list.some(([, e]) => e.messageId === m.messageId))
        continue;
      already++;
    }
    if (list.length + already <= cap.count) continue;
    const decisions = decideCaps(
      list.map(([, e]) => ({ spec: e.spec, priority: context.specs.get(e.spec)?.priority ?? 0 })),
      already,
      cap,
    );
    list.forEach(([index, entry], i) => {
      const d = decisions[i];
      if (d?.kind === 'capped') setEntry(entries, index, held(entry, 'capped', d.reason));
    });
  }
}

const DAY_MS = 86_400_000;

/** WhatsApp's messaging limit: unique recipients per moving 24 hours, across every spec of the state. */
function applyMessagingLimit(entries: EntryList, context: PolicyContext): void {
  const limit = context.policy.messagingLimit;
  if (!limit) return;
  const now = context.now.getTime();
  // Each send as columns, in plan order: its number's key, its spec's precedence rank, its index.
  const numbers = new NumberKeys();
  const specRanks = new Map<string, number>();
  let n = 0;
  entries.forEach((entry) => {
    if (!isSending(entry)) return;
    n++;
    specRanks.set(entry.spec, 0);
  });
  [...specRanks.keys()]
    .map((spec) => ({ spec, priority: context.specs.get(spec)?.priority ?? 0 }))
    .sort(comparePrecedence)
    .forEach((c, rank) => specRanks.set(c.spec, rank));
  const keys = new Float64Array(n);
  const ranks = new Uint32Array(n);
  const at = new Uint32Array(n);
  n = 0;
  entries.forEach((entry, index) => {
    if (!isSending(entry)) return;
    keys[n] = numbers.key(entry.phoneNumber);
    ranks[n] = specRanks.get(entry.spec) as number;
    at[n++] = index;
  });
  const recent = recentRecipients(context.state, keys, numbers, now - DAY_MS);
  const mode = context.policy.overLimit ?? 'hold';
  let over = 0;
  let nextAt: number | undefined;
  const admitted = decideLimit(
    keys,
    ranks,
    { limit, windowMs: DAY_MS, now, recent },
    (i, when, reason) => {
      over++;
      nextAt = Math.min(nextAt ?? when, when);
      const index = at[i] as number;
      const entry = entries.at(index) as SendingEntry;
      if (mode === 'hold') {
        setEntry(entries, index, held(entry, 'limit', reason));
        return;
      }
      // A later wave: sent now with a sendAt, never earlier than a sendAt it already has.
      const sendAt = entry.shift?.sendAt ?? sendAtOf(context.contents, entry.contentHash);
      if (sendAt === undefined || Date.parse(sendAt) < when)
        setEntry(entries, index, {
          ...entry,
          shift: { sendAt: new Date(when).toISOString(), reason },
        });
    },
  );
  context.figures ??= {};
  context.figures.limit = {
    limit,
    recent: recent.size,
    admitted,
    over,
    mode,
    ...(nextAt === undefined ? {} : { nextAt: new Date(nextAt).toISOString() }),
  };
}

/**
 * The recipients the state reached after `since`, with the time of their last message. The state
 * keeps no numbers: a planned number's messages are found by their messageIds (as the cap does)
 * and count as that number; any other message counts as a recipient of its own, so one reached by
 * several specs counts once per spec (more held, never more sent). Kept as columns: the planned
 * numbers' last times, and the times of every message counted (those of planned numbers taken out).
 */
function recentRecipients(
  state: PolicyContext['state'],
  keys: Float64Array,
  numbers: NumberKeys,
  since: number,
): RecentRecipients {
  const counts = (m: MessageState) =>
    (m.outcome === 'accepted' || m.outcome === 'in-flight') &&
    m.settled?.as !== 'not-sent' &&
    Date.parse(m.sentAt) > since;
  const planned = distinctKeys(keys);
  const last = new Float64Array(planned.length).fill(Number.NaN);
  const pairs = specRevisions(state.messages.values());
  // Numbers written apart that give the same messageIds (`+4179…` and `4179…`, or other text of
  // the same digits) find the same messages: those are taken out once, by messageId.
  const digitsOf = (key: number) => numberDigits(numbers.phone(key));
  const otherDigits = new Set<string>();
  for (const key of planned) if (!isDigitsKey(key)) otherDigits.add(digitsOf(key));
  const shared = (key: number) =>
    !isDigitsKey(key) || placeOf(planned, -key) >= 0 || otherDigits.has(String(Math.abs(key)));
  const matchedShared = new Set<string>();
  const matched = new TimeList();
  for (let u = 0; u < planned.length; u++) {
    const key = planned[u] as number;
    const twins = shared(key);
    for (const m of pairs.length === 0 ? [] : messagesOfNumber(state, numbers.phone(key), pairs)) {
      if (!counts(m)) continue;
      const at = Date.parse(m.sentAt);
      if (Number.isNaN(last[u]) || at > (last[u] as number)) last[u] = at;
      if (twins) {
        if (matchedShared.has(m.messageId)) continue;
        matchedShared.add(m.messageId);
      }
      matched.push(at);
    }
  }
  const all = new TimeList();
  for (const m of state.messages.values()) if (counts(m)) all.push(Date.parse(m.sentAt));
  // The others: every message counted, less those a planned number took (as times: only they matter).
  const others = all.sorted();
  const taken = matched.sorted();
  let kept = 0;
  for (let i = 0, j = 0; i < others.length; i++) {
    const t = others[i] as number;
    while (j < taken.length && (taken[j] as number) < t) j++;
    if (j < taken.length && taken[j] === t) j++;
    else others[kept++] = t;
  }
  let reached = 0;
  for (const t of last) if (!Number.isNaN(t)) reached++;
  const times = new Float64Array(reached + kept);
  let i = 0;
  for (const t of last) if (!Number.isNaN(t)) times[i++] = t;
  times.set(others.subarray(0, kept), i);
  return {
    size: times.length,
    has: (key) => {
      const u = placeOf(planned, key);
      return u >= 0 && !Number.isNaN(last[u]);
    },
    times,
  };
}

/** A growing list of times (ms). */
class TimeList {
  private list = new Float64Array(1024);
  private length = 0;
  push(t: number): void {
    if (this.length === this.list.length) {
      const grown = new Float64Array(this.list.length * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.length++] = t;
  }
  sorted(): Float64Array {
    return this.list.subarray(0, this.length).sort();
  }
}

function checkSizes(entries: EntryList, context: PolicyContext): Diagnostic[] {
  const perSpec = new Map<string, number>();
  let total = 0;
  for (const entry of entries) {
    // The size guards count the audience: seeds (at most MAX_SEEDS a spec) are not in it.
    if (!isSending(entry) || entry.seed) continue;
    perSpec.set(entry.spec, (perSpec.get(entry.spec) ?? 0) + 1);
    total++;
  }
  const diagnostics: Diagnostic[] = [];
  const report = (decision: ReturnType<typeof decideSize>, where: SpecPolicy['where'] = {}) => {
    if (decision.kind === 'too-large')
      diagnostics.push(
        makeDiagnostic('plan-too-large', decision.message, where, { hint: decision.hint }),
      );
  };
  for (const [spec, count] of perSpec) {
    const info = context.specs.get(spec);
    report(
      decideSize(`spec ${spec} would send`, count, info?.maxRecipients, context.allowLarge),
      info?.where,
    );
  }
  report(
    decideSize(
      'this apply would send',
      total,
      context.policy.maxMessagesPerApply,
      context.allowLarge,
    ),
  );
  return diagnostics;
}
