import type { StateStore } from '../state/types.js';
import type { Plan } from './types.js';

export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  throw new Error(`writeSavedPlan is not built yet (${file}, ${plan.formatVersion})`);
}

/** Reads and validates a saved plan (schemas/plan.schema.json). */
export async function readSavedPlan(file: string): Promise<Plan> {
  throw new Error(`readSavedPlan is not built yet (${file})`);
}

/**
 * What changed since the plan was made: one readable line per changed spec, recipient file,
 * config or state. Empty when the plan is still fresh.
 */
export async function findPlanChanges(plan: Plan, store: StateStore): Promise<string[]> {
  throw new Error(`findPlanChanges is not built yet (${plan.formatVersion}, ${store.location})`);
}
