import type { Policy } from '../../config/policy.js';
import type { PlanChange } from '../plan-change.js';
import { isSending, type Plan } from '../types.js';
import { quietHoursDecider } from './apply-policies.js';
import { hasContent } from '../content-store.js';

/**
 * A saved plan decided quiet hours when it was made; applied later, its immediate sends may now
 * arrive in quiet hours. How many, or undefined when none do.
 */
export function quietHoursSincePlan(plan: Plan, policy: Policy, now: Date): PlanChange | undefined {
  const quiet = policy.quietHours;
  if (!quiet) return undefined;
  const decide = quietHoursDecider(quiet, plan.contents, now);
  let n = 0;
  for (const entry of plan.entries) {
    if (!isSending(entry)) continue;
    // A saved plan's contents (their sendAt) are restored after its files are checked; unrestored, it is refused anyway.
    if (!entry.shift && !hasContent(plan.contents, entry.contentHash)) continue;
    if (decide(entry).kind !== 'allowed') n++;
  }
  if (n === 0) return undefined;
  return { kind: 'quiet-hours', messages: n, from: quiet.from, to: quiet.to };
}
