import { findPlanChanges } from '../../src/plan/plan-changes.js';
import { describePlanChange } from '../../src/report/plan-changes.js';

/** What changed since a plan was made, as the lines apply and show print. */
export async function changeLines(...args: Parameters<typeof findPlanChanges>): Promise<string[]> {
  return (await findPlanChanges(...args)).map(describePlanChange);
}
