import { EXIT, type ExitCode } from '../errors.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { planHasWork } from '../plan/summarize-plan.js';
import { dropVars, type Plan } from '../plan/types.js';
import { openStateStore } from '../state/open-state.js';
import { stateTargetOf } from '../state/state-target.js';
import type { StateStore } from '../state/types.js';
import { checkedSavedPlan, planAfresh } from './apply-inputs.js';
import type { ApplyOptions } from './apply-options.js';
import type { ApplyView } from './apply-view.js';
import { runWorkers } from './apply-workers.js';
import { seedOnlyPlan, seedOnlyStep } from './seed-only.js';
import { breakerHolds, exitCodeOf, sendPlan, withApplyLock } from './send-plan.js';

/** apply: plans (or checks a saved plan), sends it once and records every outcome; its exit code. */
export async function runApply(
  options: ApplyOptions,
  config: ResolvedConfig,
  view: ApplyView,
): Promise<ExitCode> {
  if (options.workers !== undefined) return runWorkers(options, config, options.workers, view);
  const store = openStateStore(stateTargetOf(config));
  try {
    return await lockAndApply(options, config, store, view);
  } finally {
    await store.close();
  }
}

async function lockAndApply(
  options: ApplyOptions,
  config: ResolvedConfig,
  store: StateStore,
  view: ApplyView,
): Promise<ExitCode> {
  return withApplyLock(store, options.forceUnlock, view, async (interrupts) => {
    const plan = options.planFile
      ? await checkedSavedPlan(options.planFile, config, store)
      : await planAfresh(options.planOptions, store);
    view.diagnostics(plan.diagnostics);
    if (hasErrors(plan.diagnostics)) return EXIT.error;
    view.plan(plan);
    const step = seedOnlyStep(plan);
    if (options.seedOnly && !step.hasSeeds) {
      view.noSeeds();
      return EXIT.error;
    }
    const sending = options.seedOnly ? seedOnlyPlan(plan) : plan;
    if (!planHasWork(sending.summary)) {
      if (options.seedOnly) view.seedsDone(step, false);
      else view.nothingToSend();
      return EXIT.ok;
    }
    if (breakerHolds(plan, options)) {
      view.breakerHolds(plan.inputs.state.breaker);
      return EXIT.breaker;
    }
    if (options.ask && !(await view.confirm())) {
      view.cancelled();
      return EXIT.error;
    }
    dropShownVars(plan, sending);
    const result = await sendPlan(
      sending,
      config,
      store,
      interrupts,
      () => view.progress(),
      options.ignoreBreaker ?? false,
    );
    view.result(result);
    const code = exitCodeOf(result);
    if (options.seedOnly && code === EXIT.ok) view.seedsDone(step, true);
    return code;
  });
}

/**
 * Takes the variable values out of the plan once shown (only the formats read them), and out of
 * the seed-only copy apply sends: it holds the table and the entries' values too.
 */
export function dropShownVars(plan: Plan, sending: Plan): void {
  dropVars(plan);
  if (sending !== plan) dropVars(sending);
}

export type { ApplyOptions } from './apply-options.js';
