import type { Policy } from '../../config/policy.js';
import { isSending, type Plan } from '../types.js';
import { quietHoursDecider } from './apply-policies.js';

/**
 * A saved plan decided quiet hours when it was made; applied later, its immediate sends may now
 * arrive in quiet hours. A line saying how many, or undefined when none do.
 */
export function quietHoursSincePlan(plan: Plan, policy: Policy, now: Date): string | undefined {
  const quiet = policy.quietHours;
  if (!quiet) return undefined;
  const decide = quietHoursDecider(quiet, plan.contents, now);
  let n = 0;
  for (const entry of plan.entries) {
    if (!isSending(entry)) continue;
    // A saved plan's contents (their sendAt) are restored after its files are checked; unrestored, it is refused anyway.
    if (!entry.shift && !Object.hasOwn(plan.contents, entry.contentHash)) continue;
    if (decide(entry).kind !== 'allowed') n++;
  }
  if (n === 0) return undefined;
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'message' : 'messages'} would now arrive in quiet hours (${quiet.from}–${quiet.to})`;
}
