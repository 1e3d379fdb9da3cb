import { formatAmount, formatCents } from '../../rates/money.js';

export type BudgetDecision = { kind: 'ok' } | { kind: 'over'; message: string; hint: string };

/**
 * Whether an estimated cost (millionths) may be sent under `budget`. Above it only an approval of
 * at least the estimate (--allow-cost AMOUNT) lets it through, as --allow-large does for sizes.
 */
export function decideBudget(
  what: string,
  estimate: bigint,
  budget: bigint | undefined,
  allowCost: bigint | undefined,
  currency: string,
): BudgetDecision {
  const money = (m: bigint) => `${currency} ${formatCents(m)}`;
  // No budget, or within it.
  if (budget === undefined || estimate <= budget) return { kind: 'ok' };
  // Approved for at least this much.
  if (allowCost !== undefined && allowCost >= estimate) return { kind: 'ok' };
  // The exact figure, so the approval covers it (rounding down would fall short).
  const hint = `if ${money(estimate)} is intended, approve that cost: --allow-cost ${formatAmount(estimate)}`;
  // Approved, but for less than the estimate.
  if (allowCost !== undefined)
    return {
      kind: 'over',
      message: `${what} ${money(estimate)}, more than --allow-cost ${formatAmount(allowCost)} approves (budget ${money(budget)})`,
      hint,
    };
  return {
    kind: 'over',
    message: `${what} ${money(estimate)}, over its budget of ${money(budget)}`,
    hint,
  };
}
