import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { contentHashOf, PLAN_ACTIONS } from '../plan/types.js';
import { describeContent } from '../report/plan-content.js';

/**
 * One thing that moved between two plans of the same workspace (what `watch` reports after an edit).
 * A spec is added or removed from the plan: a new or deleted file, or one that stopped or started loading.
 */
export type PlanMove =
  | { kind: 'spec-added'; spec: string; messages: number }
  | { kind: 'spec-removed'; spec: string; messages: number }
  | { kind: 'revision'; spec: string; from: number; to: number }
  /** Messages to the same recipients whose content changed, and which fields changed. */
  | { kind: 'content'; spec: string; fields: string[]; messages: number }
  | { kind: 'recipients'; spec: string; added: number; removed: number }
  | { kind: 'action'; action: PlanAction; from: number; to: number }
  | { kind: 'problems'; severity: 'error' | 'warning'; fixed: number; added: number };

/** Content pairs compared field by field per spec: enough to name the fields an edit touched. */
const FIELD_PAIRS = 50;

/** Each spec's compiled messages by phone number (not messageId: a new revision is the same recipient). */
function messagesBySpec(plan: Plan): Map<string, Map<string, string>> {
  const specs = new Map<string, Map<string, string>>(plan.specs.map((s) => [s.name, new Map()]));
  for (const e of plan.entries) {
    const hash = contentHashOf(e);
    if (hash === undefined) continue;
    let messages = specs.get(e.spec);
    if (!messages) specs.set(e.spec, (messages = new Map<string, string>()));
    messages.set(e.phoneNumber, hash);
  }
  return specs;
}

/**
 * What moved from `before` to `after`, in the order a writer reads it: specs added or removed,
 * revisions, content changes (by field), recipients added or removed, the plan's counts, and
 * problems fixed or new. Pure: the same two plans give the same moves.
 */
export function comparePlans(before: Plan, after: Plan): PlanMove[] {
  const moves: PlanMove[] = [];
  const old = messagesBySpec(before);
  const now = messagesBySpec(after);
  for (const [spec, messages] of now)
    if (!old.has(spec)) moves.push({ kind: 'spec-added', spec, messages: messages.size });
  for (const [spec, messages] of old)
    if (!now.has(spec)) moves.push({ kind: 'spec-removed', spec, messages: messages.size });
  const revisions = new Map(before.specs.map((s) => [s.name, s.revision]));
  for (const s of after.specs) {
    const from = revisions.get(s.name);
    if (from !== undefined && from !== s.revision)
      moves.push({ kind: 'revision', spec: s.name, from, to: s.revision });
  }
  for (const [spec, messages] of now) {
    const was = old.get(spec);
    if (!was) continue;
    let changed = 0;
    let added = 0;
    const pairs = new Map<string, [string, string]>();
    for (const [phone, hash] of messages) {
      const previous = was.get(phone);
      if (previous === undefined) added++;
      else if (previous !== hash) {
        changed++;
        if (pairs.size < FIELD_PAIRS) pairs.set(`${previous}>${hash}`, [previous, hash]);
      }
    }
    let removed = 0;
    for (const phone of was.keys()) if (!messages.has(phone)) removed++;
    if (changed > 0)
      moves.push({
        kind: 'content',
        spec,
        fields: changedFields(before, after, [...pairs.values()]),
        messages: changed,
      });
    if (added > 0 || removed > 0) moves.push({ kind: 'recipients', spec, added, removed });
  }
  for (const action of PLAN_ACTIONS) {
    const from = before.summary[action];
    const to = after.summary[action];
    if (from !== to) moves.push({ kind: 'action', action, from, to });
  }
  for (const severity of ['error', 'warning'] as const) {
    const { fixed, added } = compareProblems(before.diagnostics, after.diagnostics, severity);
    if (fixed > 0 || added > 0) moves.push({ kind: 'problems', severity, fixed, added });
  }
  return moves;
}

/** The labels (text, templateData, button 1 url, …) whose values differ in any pair, in display order. */
function changedFields(
  before: Plan,
  after: Plan,
  pairs: ReadonlyArray<[string, string]>,
): string[] {
  const changed = new Set<string>();
  const order: string[] = [];
  for (const [from, to] of pairs) {
    const a = before.contents[from];
    const b = after.contents[to];
    if (!a || !b) continue;
    const was = new Map(describeContent(a).map((f) => [f.label, f.value]));
    const fields = describeContent(b);
    for (const f of fields) {
      if (!order.includes(f.label)) order.push(f.label);
      if (was.get(f.label) !== f.value) changed.add(f.label);
    }
    for (const label of was.keys()) {
      if (!fields.some((f) => f.label === label)) {
        changed.add(label);
        if (!order.includes(label)) order.push(label);
      }
    }
  }
  return order.filter((label) => changed.has(label));
}

/** Problems of one severity present only before (fixed) or only after (new), by code, file and message. */
function compareProblems(
  before: readonly Diagnostic[],
  after: readonly Diagnostic[],
  severity: 'error' | 'warning',
): { fixed: number; added: number } {
  // Lines are left out: an edit above a problem moves it without fixing it.
  const key = (d: Diagnostic) => `${d.code}\u0000${d.file ?? ''}\u0000${d.message}`;
  const remaining = new Map<string, number>();
  for (const d of before)
    if (d.severity === severity) remaining.set(key(d), (remaining.get(key(d)) ?? 0) + 1);
  let added = 0;
  for (const d of after) {
    if (d.severity !== severity) continue;
    const n = remaining.get(key(d)) ?? 0;
    if (n > 0) remaining.set(key(d), n - 1);
    else added++;
  }
  let fixed = 0;
  for (const n of remaining.values()) fixed += n;
  return { fixed, added };
}
