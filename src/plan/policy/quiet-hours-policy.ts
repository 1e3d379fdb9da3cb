import type { QuietHours } from '../../config/policy.js';

export type QuietDecision =
  | { kind: 'allowed' }
  | { kind: 'hold'; reason: string }
  | { kind: 'shift'; sendAt: string; reason: string };

/** Minutes east of UTC of a zone at an instant. */
export type OffsetOf = (zone: string, at: Date) => number;

const DAY = 1440;
const minuteOf = (clock: string): number =>
  Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function isQuiet(localMinute: number, from: number, to: number): boolean {
  return from < to
    ? localMinute >= from && localMinute < to
    : localMinute >= from || localMinute < to;
}

/** Attempts to find a time allowed in every zone before giving up (zones spread wider than the allowed hours). */
const MAX_SHIFTS = 8;

/**
 * Whether a message sent at `at` to a country with these zones arrives outside quiet hours in
 * every zone (so the most westerly and easterly both); if not, held or moved to the earliest
 * minute that is allowed everywhere.
 */
export function decideQuietHours(
  at: Date,
  zones: readonly string[],
  quiet: QuietHours,
  offsetOf: OffsetOf,
): QuietDecision {
  const window = `quiet hours ${quiet.from}–${quiet.to}`;
  // No zone known for the number: it cannot be shown to be outside quiet hours.
  if (zones.length === 0)
    return { kind: 'hold', reason: `${window}: no time zone known for this number` };
  const from = minuteOf(quiet.from);
  const to = minuteOf(quiet.to);
  let t = at.getTime();
  for (let attempt = 0; attempt <= MAX_SHIFTS; attempt++) {
    const minute = Math.floor(t / 60_000);
    let next = t;
    let quietZone: string | undefined;
    for (const zone of zones) {
      const local = (((minute + offsetOf(zone, new Date(t))) % DAY) + DAY) % DAY;
      if (!isQuiet(local, from, to)) continue;
      quietZone ??= zone;
      next = Math.max(next, (minute + ((to - local + DAY) % DAY)) * 60_000);
    }
    // Allowed in every zone at the planned time.
    if (quietZone === undefined && attempt === 0) return { kind: 'allowed' };
    // Allowed everywhere at a later minute: moved there.
    if (quietZone === undefined)
      return {
        kind: 'shift',
        sendAt: new Date(t).toISOString().replace('.000Z', 'Z'),
        reason: `moved out of ${window}`,
      };
    // In quiet hours and held: sent by a later apply outside them.
    if (quiet.mode === 'hold') return { kind: 'hold', reason: `${window} in ${quietZone}` };
    t = next;
  }
  // The zones are spread wider than the allowed hours: no minute suits them all.
  return {
    kind: 'hold',
    reason: `${window}: no time outside them in every zone of the number's country`,
  };
}
