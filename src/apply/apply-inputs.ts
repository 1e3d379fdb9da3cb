import type { ResolvedConfig } from '../config/load-config.js';
import { StalePlanError } from '../errors.js';
import { buildPlan, type BuildPlanOptions } from '../plan/build-plan.js';
import { ALREADY_APPLIED } from '../plan/plan-changes.js';
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
  const applied = changes.find((c) => c.startsWith(ALREADY_APPLIED));
  if (changes.length === 1 && applied) {
    throw new StalePlanError(
      `${planFile}: ${applied.replace(/^t/, 'T')}; nothing to send.`,
      'make a new plan with `waspec plan --out`',
    );
  }
  if (changes.length > 0) {
    throw new StalePlanError(
      `the saved plan ${planFile} is stale:\n  - ${changes.join('\n  - ')}`,
      'run `waspec plan --out` again and review the new plan',
    );
  }
  return plan.private ? restoreEarlierContents(plan, store) : plan;
}

/** A fresh plan of the spec paths with apply's options. */
export function planAfresh(options: PlanOptions, store: StateStore): Promise<Plan> {
  return buildPlan({ ...options, store });
}
