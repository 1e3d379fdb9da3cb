import type { StateStore } from '../state/types.js';
import type { Plan } from './types.js';

export interface BuildPlanOptions {
  /** Spec files or folders (default ['specs']). */
  paths: readonly string[];
  store: StateStore;
  retryRejected?: boolean;
  resendInDoubt?: boolean;
  /** Spec names to plan; empty means all. */
  targets?: readonly string[];
  now?: Date;
}

/** Loads, compiles and diffs the specs against the state. Errors are in plan.diagnostics. */
export async function buildPlan(options: BuildPlanOptions): Promise<Plan> {
  throw new Error(`buildPlan is not built yet (${options.paths.join(',')})`);
}
