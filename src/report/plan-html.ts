import type { Plan } from '../plan/types.js';

/** The plan as one self-contained HTML page (chat bubbles, no external assets). */
export function renderPlanHtml(plan: Plan, options: { mask: boolean }): string {
  throw new Error(`renderPlanHtml is not built yet (${plan.entries.length}, ${options.mask})`);
}
