import type { ResolvedConfig } from '../config/load-config.js';
import { StalePlanError } from '../errors.js';
import { buildPlan, type BuildPlanOptions } from '../plan/build-plan.js';
import type { PlanChange } from '../plan/plan-change.js';
import { guardSettingsOf } from '../plan/plan-settings.js';
import {
  findPlanChanges,
  inputFileChanges,
  readSavedPlan,
  restoreEarlierContents,
  restoreSavedPlan,
} from '../plan/saved-plan.js';
import type { Plan } from '../plan/types.js';
import type { StateStore } from '../state/types.js';

/** What apply plans from when it is given spec paths instead of a saved plan. */
export type PlanOptions = Omit<BuildPlanOptions, 'store'>;

/** A saved plan refused because its inputs or the state changed since: what changed, as data. */
export class SavedPlanChangedError extends StalePlanError {
  constructor(
    readonly planFile: string,
    readonly changes: readonly PlanChange[],
  ) {
    super(
      `the saved plan ${planFile} is stale (${changes.length} changes)`,
      'run `waspec plan --out` again and review the new plan',
    );
  }
}

/**
 * A saved plan checked against the current inputs and state (refused if stale), its contents and
 * numbers restored from the hash-checked files.
 */
export async function checkedSavedPlan(
  planFile: string,
  config: ResolvedConfig,
  store: StateStore,
  saved?: Plan,
): Promise<Plan> {
  let plan = saved ?? (await readSavedPlan(planFile));
  // Contents and numbers come from the files, when unchanged (edits are refused below): the quiet-hours check needs the contents' sendAt.
  const specOptions = {
    allowOutside: config.allowOutside ?? [],
    recipientDefaults: config.recipients ?? {},
  };
  if ((await inputFileChanges(plan)).length === 0)
    plan = await restoreSavedPlan(plan, planFile, specOptions);
  const changes = await findPlanChanges(plan, store, {
    policy: config.policy,
    at: new Date(),
    suppressions: guardSettingsOf(config).suppressions,
  });
  if (changes.length > 0) throw new SavedPlanChangedError(planFile, changes);
  return plan.private ? restoreEarlierContents(plan, store) : plan;
}

/** A fresh plan of the spec paths with apply's options. */
export function planAfresh(options: PlanOptions, store: StateStore): Promise<Plan> {
  return buildPlan({ ...options, store });
}
