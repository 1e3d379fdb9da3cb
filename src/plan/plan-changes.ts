import type { Policy } from '../config/policy.js';
import type { StateSnapshot, StateStore } from '../state/types.js';
import { CONFIG_FILE, hashFile } from './hash-file.js';
import { listSpecFiles } from './list-spec-files.js';
import type { SuppressionDigest } from '../suppressions/file-suppressions.js';
import type { SuppressionSource, SuppressionTable } from '../suppressions/types.js';
import { quietHoursSincePlan } from './policy/quiet-hours-now.js';
import type { PlanChange } from './plan-change.js';
import { isSending, type Plan, type PlanEntry } from './types.js';

/**
 * What changed since the plan was made: one change per changed spec, recipient file, config or
 * state, or immediate sends that would now arrive in quiet hours. Empty when the plan is still fresh.
 */
export async function findPlanChanges(
  plan: Plan,
  store: StateStore,
  now?: { policy: Policy; at: Date; suppressions?: readonly SuppressionSource[] },
): Promise<PlanChange[]> {
  const changes = await inputFileChanges(plan);
  if (plan.options.paths && plan.options.targets.length === 0) {
    const known = new Set(plan.inputs.files.filter((f) => f.kind === 'spec').map((f) => f.path));
    for (const file of await listSpecFiles(plan.options.paths)) {
      if (!known.has(file))
        changes.push({ kind: 'file', file: 'spec', change: 'added', path: file });
    }
  }
  const snapshot = await store.read();
  if (snapshot.digest !== plan.inputs.state.sha256) {
    const applied = appliedSends(plan, snapshot);
    changes.push(
      applied === undefined
        ? stateChange(plan.inputs.state.records, snapshot.records)
        : { kind: 'already-applied', messages: applied },
    );
  }
  changes.push(
    ...(await suppressionTableChanges(plan, [
      ...(now?.suppressions ?? []),
      ...(store.suppressions ? [store.suppressions] : []),
    ])),
  );
  const quiet = now && quietHoursSincePlan(plan, now.policy, now.at);
  if (quiet) changes.push(quiet);
  return changes;
}

/** The spec, recipient, config and other files removed or edited since the plan was made. */
export async function inputFileChanges(plan: Pick<Plan, 'inputs'>): Promise<PlanChange[]> {
  const changes: PlanChange[] = [];
  for (const file of plan.inputs.files) {
    const now = await hashFile(file.path);
    if (now === undefined)
      changes.push({ kind: 'file', file: file.kind, change: 'removed', path: file.path });
    else if (now !== file.sha256)
      changes.push({ kind: 'file', file: file.kind, change: 'edited', path: file.path });
  }
  if (
    !plan.inputs.files.some((f) => f.kind === 'config') &&
    (await hashFile(CONFIG_FILE)) !== undefined
  ) {
    changes.push({ kind: 'file', file: 'config', change: 'added', path: CONFIG_FILE });
  }
  return changes;
}

/** Suppression tables (not files) whose content differs from what the plan read, or that it did not read. */
async function suppressionTableChanges(
  plan: Plan,
  sources: ReadonlyArray<SuppressionSource | SuppressionTable>,
): Promise<PlanChange[]> {
  const tables = sources.filter((s) => s.files.length === 0);
  if (tables.length === 0 && !plan.inputs.suppressions) return [];
  // A table says its digest without sending every number over the connection.
  const digests: SuppressionDigest[] = [];
  for (const table of tables) {
    const sha256 = 'digest' in table ? await table.digest() : (await table.read()).digest;
    if (sha256 !== undefined) digests.push({ location: table.location, sha256 });
  }
  const then = new Map((plan.inputs.suppressions ?? []).map((d) => [d.location, d.sha256]));
  const changes: PlanChange[] = [];
  const listChange = (change: 'added' | 'changed' | 'dropped', location: string) =>
    changes.push({ kind: 'suppression-list', change, location });
  for (const d of digests) {
    const before = then.get(d.location);
    if (before === undefined) listChange('added', d.location);
    else if (before !== d.sha256) listChange('changed', d.location);
    then.delete(d.location);
  }
  for (const location of then.keys()) listChange('dropped', location);
  return changes;
}

/**
 * How many messages the plan sends, when the state has an answer for every one of them recorded
 * since the plan was made (the plan was applied); undefined otherwise.
 */
function appliedSends(plan: Plan, snapshot: StateSnapshot): number | undefined {
  const sends = plan.entries.filter(isSending);
  if (sends.length === 0) return undefined;
  const made = Date.parse(plan.createdAt);
  const recorded = (e: PlanEntry) => {
    const m = snapshot.messages.get(e.messageId);
    return m !== undefined && m.outcome !== 'in-flight' && Date.parse(m.updatedAt) >= made;
  };
  return sends.every(recorded) ? sends.length : undefined;
}

function stateChange(then: number | undefined, now: number | undefined): PlanChange {
  return then !== undefined && now !== undefined && now > then
    ? { kind: 'state', records: now - then }
    : { kind: 'state' };
}

export type { PlanChange } from './plan-change.js';
