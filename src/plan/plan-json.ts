import type { Plan } from './types.js';
import { maskDiagnostic, maskPhone } from '../recipients/mask-phone.js';
import { escapeInvisibleInJson } from '../report/reveal-invisible.js';

/** The plan with every phone number masked (entries and diagnostic messages). */
export function maskPlan(plan: Plan): Plan {
  return {
    ...plan,
    entries: plan.entries.map((e) => ({ ...e, phoneNumber: maskPhone(e.phoneNumber) })),
    diagnostics: plan.diagnostics.map(maskDiagnostic),
  };
}

/** The plan as JSON (schemas/plan.schema.json), as saved by `plan --out`. */
export function formatPlanJson(plan: Plan, options: { mask: boolean }): string {
  return `${escapeInvisibleInJson(JSON.stringify(options.mask ? maskPlan(plan) : plan, null, 2))}\n`;
}
