import type { BreakerTrip } from '../state/types.js';
import { revealOneLine } from './reveal-invisible.js';

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** What tripped: "31.5% of the last 200 answers rejected (over 20%)". */
export function breakerCause(trip: BreakerTrip): string {
  const what = trip.cause === 'rejected' ? 'rejected' : 'failed (after retries)';
  return `${percent(trip.share)} of the last ${trip.answers.toLocaleString('en-US')} answers ${what} (over ${percent(trip.threshold)})`;
}

/** The top reasons, one a line, indented; API text shown escaped. */
export function breakerReasons(trip: BreakerTrip, indent = '  '): string[] {
  return trip.reasons.map(
    ({ reason, count }) => `${indent}×${count.toLocaleString('en-US')}  ${revealOneLine(reason)}`,
  );
}

/** How apply goes on after a trip (the rule docs/progressive-sending.md describes). */
export const AFTER_TRIP =
  'apply sends the rest only when told: waspec apply --resume (breaker on) or --ignore-breaker (breaker off)';

/** The line plan shows before its summary while the last apply's trip holds (pretty and markdown). */
export function breakerPlanLine(trip: BreakerTrip): string {
  const top = trip.reasons[0];
  const reason = top ? `; top reason: ${revealOneLine(top.reason)} ×${top.count}` : '';
  return `Circuit breaker tripped at ${revealOneLine(trip.at)}: ${breakerCause(trip)}${reason}. The rest is unsent; ${AFTER_TRIP}.`;
}
