import type { Suppression } from '../../suppressions/types.js';

export type SuppressionDecision = { kind: 'send' } | { kind: 'suppressed'; reason: string };

/** A number on the suppression list is never sent, whatever else the plan says of it. */
export function decideSuppression(
  phoneNumber: string,
  suppressed: ReadonlyMap<string, Suppression>,
): SuppressionDecision {
  const why = suppressed.get(phoneNumber);
  // Not listed: nothing stops it here.
  if (!why) return { kind: 'send' };
  // Listed: the reason and date as the list gives them, so a reviewer sees why.
  const reason = [why.reason ?? 'on the suppression list', why.date]
    .filter((s) => s !== undefined)
    .join(', ');
  return { kind: 'suppressed', reason };
}
