import {
  contentHashOf,
  isSeed,
  type Plan,
  type PlanAction,
  type PlanEntry,
  type PlanSpecInfo,
} from '../plan/types.js';
import { emptySummary } from '../plan/summarize-plan.js';
import { ACTION_STYLE } from './plan-summary.js';
import { noun, plural } from './plural.js';

export interface EntryGroup {
  action: PlanAction;
  /** The distinct contents of its entries, first seen first (none for orphans). */
  contents: string[];
  /** The sendAt the group is moved to (out of quiet hours), when it is. */
  shift?: { sendAt: string; reason: string };
  /** Test messages to seeds (shown before the spec's other groups). */
  seed?: true;
  entries: PlanEntry[];
}

export interface SpecGroups {
  name: string;
  info?: PlanSpecInfo;
  counts: Record<PlanAction, number>;
  /** Non-unchanged groups in display order; unchanged entries are only counted. */
  groups: EntryGroup[];
  /** The distinct contents over its groups. */
  contents: number;
  /** Messages compiled now (every action but orphan, unchanged ones too). */
  compiled: number;
  /** The distinct contents of all its compiled messages (unchanged ones too). */
  allContents: number;
}

const emptyCounts = emptySummary;

/**
 * Entries per spec (plan order, then specs known only from the state), per action (and moved
 * sendAt): one group however many distinct renders it has, so a plan's size follows its specs,
 * not its recipients.
 */
export function groupPlan(plan: Plan): SpecGroups[] {
  const bySpec = new Map<string, SpecGroups>();
  for (const info of plan.specs)
    bySpec.set(info.name, {
      name: info.name,
      info,
      counts: emptyCounts(),
      groups: [],
      contents: 0,
      compiled: 0,
      allContents: 0,
    });
  const buckets = new Map<string, { group: EntryGroup; seen: Set<string> }>();
  const specContents = new Map<string, Set<string>>();
  const allOf = new Map<string, Set<string>>();
  for (const entry of plan.entries) {
    let spec = bySpec.get(entry.spec);
    if (!spec) {
      spec = {
        name: entry.spec,
        counts: emptyCounts(),
        groups: [],
        contents: 0,
        compiled: 0,
        allContents: 0,
      };
      bySpec.set(entry.spec, spec);
    }
    spec.counts[entry.action]++;
    const contentHash = contentHashOf(entry);
    if (contentHash !== undefined) {
      spec.compiled++;
      const every = allOf.get(entry.spec) ?? new Set<string>();
      every.add(contentHash);
      allOf.set(entry.spec, every);
      spec.allContents = every.size;
    }
    if (entry.action === 'unchanged') continue;
    const shift = 'shift' in entry ? entry.shift : undefined;
    const seed = isSeed(entry);
    const key = `${entry.spec}\u0000${entry.action}\u0000${shift?.sendAt ?? ''}\u0000${seed ? 'seed' : ''}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      const group: EntryGroup = { action: entry.action, contents: [], entries: [] };
      if (shift) group.shift = shift;
      if (seed) group.seed = true;
      bucket = { group, seen: new Set() };
      buckets.set(key, bucket);
      spec.groups.push(group);
    }
    bucket.group.entries.push(entry);
    if (contentHash !== undefined && !bucket.seen.has(contentHash)) {
      bucket.seen.add(contentHash);
      bucket.group.contents.push(contentHash);
      const all = specContents.get(entry.spec) ?? new Set<string>();
      all.add(contentHash);
      specContents.set(entry.spec, all);
      spec.contents = all.size;
    }
  }
  const order = new Map(ACTION_STYLE.map((s, i) => [s.action, i]));
  for (const spec of bySpec.values()) {
    // Stable sort keeps first-appearance order within an action.
    spec.groups.sort(
      (a, b) =>
        Number(b.seed ?? false) - Number(a.seed ?? false) ||
        (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0),
    );
  }
  return [...bySpec.values()].filter((s) => s.info || Object.values(s.counts).some((n) => n > 0));
}

/** The reason shown beside a recipient, from what the state recorded. */
export function reasonOf(entry: PlanEntry): string | undefined {
  if ('hold' in entry) return entry.hold.reason;
  const p = entry.previous;
  if (!p) return undefined;
  switch (entry.action) {
    case 'retry':
      return p.error ?? p.statusName;
    case 'rejected':
      return p.statusName ?? p.error;
    case 'drift':
      return `accepted ${p.sentAt}`;
    case 'in-doubt':
      return `sent ${p.sentAt}`;
    case 'orphan':
      return p.outcome === 'in-flight' ? 'in doubt' : p.outcome;
    default:
      return undefined;
  }
}

/** Who a group goes to: `3 recipients`, or `2 seeds (test messages)`. */
export function groupWhom(group: EntryGroup): string {
  const n = group.entries.length;
  return group.seed ? `${plural(n, 'seed')} (test ${noun(n, 'message')})` : plural(n, 'recipient');
}
