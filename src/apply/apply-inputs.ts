import type { ResolvedConfig } from '../config/load-config.js';
import { StalePlanError } from '../errors.js';
import { buildPlan, type BuildPlanOptions } from '../plan/build-plan.js';
import type { PlanChange } from '../plan/plan-change.js';
import { catalogueOf, guardSettingsOf } from '../plan/plan-settings.js';
import { readSavedPlan } from '../plan/saved-plan.js';
import { verifySavedPlan } from '../plan/verify-saved-plan.js';
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
 * A saved plan checked against the current inputs and state (refused if stale, or if it is not
 * what its own inputs plan now): the plan apply sends is made afresh from those inputs.
 */
export async function checkedSavedPlan(
  planFile: string,
  config: ResolvedConfig,
  store: StateStore,
  saved?: Plan,
): Promise<Plan> {
  const checked = await verifySavedPlan(saved ?? (await readSavedPlan(planFile)), planFile, {
    store,
    defaultBatchSize: config.batchSize,
    ...guardSettingsOf(config),
    ...catalogueOf(config),
    allowOutside: config.allowOutside ?? [],
    recipientDefaults: config.recipients ?? {},
    ...(config.seed ? { seed: config.seed } : {}),
    ...(config.configDir ? { configDir: config.configDir } : {}),
  });
  if ('changes' in checked) throw new SavedPlanChangedError(planFile, checked.changes);
  return checked.plan;
}

/** A fresh plan of the spec paths with apply's options. */
export function planAfresh(options: PlanOptions, store: StateStore): Promise<Plan> {
  return buildPlan({ ...options, store });
}
