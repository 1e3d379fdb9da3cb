/** A rollout as written (`rollout:` of a spec, or `policy.rollout` of the config). */
export interface RolloutSpec {
  /** A share of the spec's messages ("5%") or a count of them (50). */
  canary: string | number;
  /** Stop after the canary; a later apply sends the rest. */
  pause?: boolean;
}

/** How many messages a canary takes: a share of the spec's messages, or a count. */
export type CanarySize = { percent: number } | { count: number };

/** A rollout as apply follows it. */
export interface Rollout {
  canary: CanarySize;
  pause: boolean;
}

/** The rollout written, or undefined when its canary is not one (the schema refuses it first). */
export function rolloutOf(written: RolloutSpec): Rollout | undefined {
  const canary = parseCanary(written.canary);
  return canary && { canary, pause: written.pause ?? false };
}

/** As the schemas' canary pattern: 0.001% to 100%. */
const PERCENT = /^(100(?:\.0{1,3})?|[1-9]\d?(?:\.\d{1,3})?|0\.\d{0,2}[1-9])%$/;

/** The canary's size, or undefined when `value` is not a share (0% < p ≤ 100%) or a whole count ≥ 1. */
export function parseCanary(value: unknown): CanarySize | undefined {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 1 ? { count: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const match = PERCENT.exec(value);
  const percent = match ? Number(match[1]) : NaN;
  return percent > 0 && percent <= 100 ? { percent } : undefined;
}

/** The canary's size as written: "5%" or "50". */
export function canaryText(size: CanarySize): string {
  return 'percent' in size ? `${size.percent}%` : String(size.count);
}

/** How many of `total` messages the canary takes (at least 1 of a share, at most all). */
export function canaryCount(size: CanarySize, total: number): number {
  if (total === 0) return 0;
  if ('count' in size) return Math.min(size.count, total);
  return Math.min(total, Math.max(1, Math.ceil((total * size.percent) / 100 - 1e-9)));
}
