import type { Plan, PlanAction, PlanEntry, PlanSpecInfo } from '../plan/types.js';
import { emptySummary } from '../plan/summarize-plan.js';
import { ACTION_STYLE } from './plan-summary.js';

export interface EntryGroup {
  action: PlanAction;
  /** Content shared by the group (absent for orphans). */
  contentHash?: string;
  /** The sendAt the group is moved to (out of quiet hours), when it is. */
  shift?: { sendAt: string; reason: string };
  entries: PlanEntry[];
}

export interface SpecGroups {
  name: string;
  info?: PlanSpecInfo;
  counts: Record<PlanAction, number>;
  /** Non-unchanged groups in display order; unchanged entries are only counted. */
  groups: EntryGroup[];
}

const emptyCounts = emptySummary;

/** Entries per spec (plan order, then specs known only from the state), per action, per content. */
export function groupPlan(plan: Plan): SpecGroups[] {
  const bySpec = new Map<string, SpecGroups>();
  for (const info of plan.specs) bySpec.set(info.name, { name: info.name, info, counts: emptyCounts(), groups: [] });
  const buckets = new Map<string, EntryGroup>();
  for (const entry of plan.entries) {
    let spec = bySpec.get(entry.spec);
    if (!spec) {
      spec = { name: entry.spec, counts: emptyCounts(), groups: [] };
      bySpec.set(entry.spec, spec);
    }
    spec.counts[entry.action]++;
    if (entry.action === 'unchanged') continue;
    const key = `${entry.spec}\u0000${entry.action}\u0000${entry.contentHash ?? ''}\u0000${entry.shift?.sendAt ?? ''}`;
    let group = buckets.get(key);
    if (!group) {
      group = { action: entry.action, entries: [] };
      if (entry.contentHash !== undefined) group.contentHash = entry.contentHash;
      if (entry.shift) group.shift = entry.shift;
      buckets.set(key, group);
      spec.groups.push(group);
    }
    group.entries.push(entry);
  }
  const order = new Map(ACTION_STYLE.map((s, i) => [s.action, i]));
  for (const spec of bySpec.values()) {
    // Stable sort keeps first-appearance order of contents within an action.
    spec.groups.sort((a, b) => (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0));
  }
  return [...bySpec.values()].filter((s) => s.info || Object.values(s.counts).some((n) => n > 0));
}

/** The reason shown beside a recipient, from what the state recorded. */
export function reasonOf(entry: PlanEntry): string | undefined {
  if (entry.hold) return entry.hold.reason;
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
