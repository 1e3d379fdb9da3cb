import type { Policy } from '../config/policy.js';
import type { StateSnapshot, StateStore } from '../state/types.js';
import { CONFIG_FILE, hashFile } from './hash-file.js';
import { listSpecFiles } from './list-spec-files.js';
import type { SuppressionDigest } from '../suppressions/file-suppressions.js';
import type { SuppressionSource, SuppressionTable } from '../suppressions/types.js';
import { quietHoursSincePlan } from './policy/quiet-hours-now.js';
import { isSending, type Plan, type PlanEntry, type PlanInputFile } from './types.js';

const NOUN: Record<PlanInputFile['kind'], string> = {
  spec: 'spec',
  recipients: 'recipient file',
  config: 'config',
  suppressions: 'suppression file',
  templates: 'template catalogue',
};

/**
 * What changed since the plan was made: one readable line per changed spec, recipient file,
 * config or state, or immediate sends that would now arrive in quiet hours. Empty when the plan is still fresh.
 */
export async function findPlanChanges(
  plan: Plan,
  store: StateStore,
  now?: { policy: Policy; at: Date; suppressions?: readonly SuppressionSource[] },
): Promise<string[]> {
  const changes = await inputFileChanges(plan);
  if (plan.options.paths && plan.options.targets.length === 0) {
    const known = new Set(plan.inputs.files.filter((f) => f.kind === 'spec').map((f) => f.path));
    for (const file of await listSpecFiles(plan.options.paths)) {
      if (!known.has(file)) changes.push(`spec added since the plan was made: ${file}`);
    }
  }
  const snapshot = await store.read();
  if (snapshot.digest !== plan.inputs.state.sha256) {
    const applied = appliedSends(plan, snapshot);
    changes.push(
      applied === undefined
        ? describeStateChange(plan.inputs.state.records, snapshot.records)
        : alreadyAppliedChange(applied),
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

/** The spec, recipient, config and other files removed or edited since the plan was made, one line each. */
export async function inputFileChanges(plan: Pick<Plan, 'inputs'>): Promise<string[]> {
  const changes: string[] = [];
  for (const file of plan.inputs.files) {
    const now = await hashFile(file.path);
    if (now === undefined)
      changes.push(`${NOUN[file.kind]} removed since the plan was made: ${file.path}`);
    else if (now !== file.sha256)
      changes.push(`${NOUN[file.kind]} edited since the plan was made: ${file.path}`);
  }
  if (
    !plan.inputs.files.some((f) => f.kind === 'config') &&
    (await hashFile(CONFIG_FILE)) !== undefined
  ) {
    changes.push(`config added since the plan was made: ${CONFIG_FILE}`);
  }
  return changes;
}

/** Suppression tables (not files) whose content differs from what the plan read, or that it did not read. */
async function suppressionTableChanges(
  plan: Plan,
  sources: ReadonlyArray<SuppressionSource | SuppressionTable>,
): Promise<string[]> {
  const tables = sources.filter((s) => s.files.length === 0);
  if (tables.length === 0 && !plan.inputs.suppressions) return [];
  // A table says its digest without sending every number over the connection.
  const digests: SuppressionDigest[] = [];
  for (const table of tables) {
    const sha256 = 'digest' in table ? await table.digest() : (await table.read()).digest;
    if (sha256 !== undefined) digests.push({ location: table.location, sha256 });
  }
  const then = new Map((plan.inputs.suppressions ?? []).map((d) => [d.location, d.sha256]));
  const changes: string[] = [];
  for (const d of digests) {
    const before = then.get(d.location);
    if (before === undefined)
      changes.push(`suppression list added since the plan was made: ${d.location}`);
    else if (before !== d.sha256)
      changes.push(`suppression list changed since the plan was made: ${d.location}`);
    then.delete(d.location);
  }
  for (const location of then.keys())
    changes.push(`suppression list no longer used since the plan was made: ${location}`);
  return changes;
}

/** The change line of a plan whose sends the state has all recorded since: it was already applied. */
export const ALREADY_APPLIED = 'this plan was already applied';

function alreadyAppliedChange(messages: number): string {
  return `${ALREADY_APPLIED} (${messages.toLocaleString('en-US')} ${messages === 1 ? 'message' : 'messages'} recorded since it was made)`;
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

function describeStateChange(then: number | undefined, now: number | undefined): string {
  if (then !== undefined && now !== undefined && now > then) {
    const n = now - then;
    return `the state has ${n.toLocaleString('en-US')} new ${n === 1 ? 'record' : 'records'} since the plan was made`;
  }
  return 'the state changed since the plan was made';
}
