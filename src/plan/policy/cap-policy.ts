import type { FrequencyCap } from '../../config/policy.js';

/** One message planned for a number, in the cap's scope. */
export interface CapCandidate {
  spec: string;
  priority: number;
}

export type CapDecision = { kind: 'send' } | { kind: 'capped'; reason: string };

/** The stated rule: higher `priority` first, then spec name. */
export function comparePrecedence(a: CapCandidate, b: CapCandidate): number {
  return b.priority - a.priority || (a.spec < b.spec ? -1 : a.spec > b.spec ? 1 : 0);
}

/**
 * For one number: which of its planned messages fit under the cap, given how many it already
 * received in the window. Decisions are in the order of `candidates`.
 */
export function decideCaps(
  candidates: readonly CapCandidate[],
  received: number,
  cap: FrequencyCap,
): CapDecision[] {
  const room = Math.max(0, cap.count - received);
  const order = candidates
    .map((_, i) => i)
    .sort((a, b) =>
      comparePrecedence(candidates[a] as CapCandidate, candidates[b] as CapCandidate),
    );
  const decisions: CapDecision[] = candidates.map(() => ({ kind: 'send' }));
  const scope = cap.scope === undefined ? '' : ` ${cap.scope}`;
  const rule = `at most ${cap.count}${scope} per ${cap.per}`;
  order.forEach((index, rank) => {
    // Within the room left: sent, in precedence order.
    if (rank < room) return;
    // Beyond it: held back, saying what filled the window.
    const first = candidates[order[0] as number] as CapCandidate;
    const taken = received > 0 ? `${received} already received` : `${first.spec} takes precedence`;
    decisions[index] = { kind: 'capped', reason: `${rule}; ${taken}` };
  });
  return decisions;
}
