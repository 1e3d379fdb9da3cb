import {
  contentHashOf,
  isSeed,
  type Plan,
  type PlanAction,
  type PlanEntry,
  type PlanSpecInfo,
} from '../plan/types.js';
import { emptySummary } from '../plan/summarize-plan.js';
import { EntryView } from '../plan/entry-list.js';
import { contentIdCount, contentIds, DistinctPairs } from './distinct-contents.js';
import { ACTION_STYLE } from './plan-summary.js';
import { noun, plural } from './plural.js';

export interface EntryGroup {
  action: PlanAction;
  /** Its distinct contents, first seen first: the first MAX_LISTED_CONTENTS of them. */
  contents: string[];
  /** How many distinct contents it has. */
  contentCount: number;
  /** The sendAt the group is moved to (out of quiet hours), when it is. */
  shift?: { sendAt: string; reason: string };
  /** Test messages to seeds (shown before the spec's other groups). */
  seed?: true;
  /** Its entries, read from the plan when needed (an index each). */
  entries: EntryView;
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

/** Distinct contents a group lists (the formats show a few samples; the count is kept apart). */
export const MAX_LISTED_CONTENTS = 1000;

const emptyCounts = emptySummary;

/**
 * Entries per spec (plan order, then specs known only from the state), per action (and moved
 * sendAt): one group however many distinct renders it has, so a plan's size follows its specs,
 * not its recipients. A group holds its entries' indexes and its distinct contents are counted
 * by number, not kept in a set of hashes: millions of personalised messages cost some bytes each.
 */
export function groupPlan(plan: Plan): SpecGroups[] {
  const bySpec = new Map<string, SpecGroups>();
  const specOf = (name: string, info?: PlanSpecInfo): SpecGroups => {
    let spec = bySpec.get(name);
    if (!spec) {
      spec = {
        name,
        ...(info ? { info } : {}),
        counts: emptyCounts(),
        groups: [],
        contents: 0,
        compiled: 0,
        allContents: 0,
      };
      bySpec.set(name, spec);
    }
    return spec;
  };
  for (const info of plan.specs) specOf(info.name, info);
  const specIds = new Map<string, number>();
  const groupIds = new Map<string, number>();
  const groups: EntryGroup[] = [];
  // Distinct (group, content), (spec, content) over its groups, (spec, content) of all it compiled.
  const contents = contentIdCount(plan.entries);
  const inGroup = new DistinctPairs(contents);
  const inSpec = new DistinctPairs(contents);
  const inAll = new DistinctPairs(contents);
  const contentId = contentIds(plan.entries);
  plan.entries.forEach((entry, index) => {
    const spec = specOf(entry.spec);
    let specId = specIds.get(entry.spec);
    if (specId === undefined) specIds.set(entry.spec, (specId = specIds.size));
    spec.counts[entry.action]++;
    const content = contentId(entry, index);
    if (content >= 0) {
      spec.compiled++;
      if (inAll.add(specId, content)) spec.allContents++;
    }
    if (entry.action === 'unchanged') return;
    const shift = 'shift' in entry ? entry.shift : undefined;
    const seed = isSeed(entry);
    const key = `${entry.spec}\u0000${entry.action}\u0000${shift?.sendAt ?? ''}\u0000${seed ? 'seed' : ''}`;
    let groupId = groupIds.get(key);
    let group = groupId === undefined ? undefined : groups[groupId];
    if (groupId === undefined || !group) {
      group = {
        action: entry.action,
        contents: [],
        contentCount: 0,
        entries: new EntryView(plan.entries),
      };
      if (shift) group.shift = shift;
      if (seed) group.seed = true;
      groupId = groups.push(group) - 1;
      groupIds.set(key, groupId);
      spec.groups.push(group);
    }
    group.entries.add(index);
    const hash = contentHashOf(entry);
    if (content < 0 || hash === undefined || !inGroup.add(groupId, content)) return;
    group.contentCount++;
    if (group.contents.length < MAX_LISTED_CONTENTS) group.contents.push(hash);
    if (inSpec.add(specId, content)) spec.contents++;
  });
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
