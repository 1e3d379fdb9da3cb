import { createHash } from 'node:crypto';
import { countSeeds, summarizeEntries } from '../plan/summarize-plan.js';
import { isSeed, isSending, type Plan } from '../plan/types.js';

/** What `apply --seed-only` leaves for a later apply, and what it sends now. */
export interface SeedOnlyStep {
  /** Test messages to seeds sent now (send and retry entries of seeds). */
  seeds: number;
  /** Distinct seed numbers. */
  phones: number;
  /** Messages to recipients left for a later apply (unknown to a worker that joined the run). */
  rest?: number;
  /** Whether any spec in scope has seeds (planned now or already sent). */
  hasSeeds: boolean;
}

export function seedOnlyStep(plan: Pick<Plan, 'entries'>): SeedOnlyStep {
  const phones = new Set<string>();
  let seeds = 0;
  let rest = 0;
  let hasSeeds = false;
  for (const e of plan.entries) {
    if (isSeed(e)) hasSeeds = true;
    if (!isSending(e)) continue;
    if (isSeed(e)) {
      seeds++;
      phones.add(e.phoneNumber);
    } else rest++;
  }
  return { seeds, phones: phones.size, rest, hasSeeds };
}

/**
 * The plan `apply --seed-only` sends: its seeds' test messages alone. The messages to recipients
 * are left out (not held: they stay `send` for the next apply, which sends them with the seeds
 * then unchanged).
 */
export function seedOnlyPlan(plan: Plan): Plan {
  const entries = plan.entries.filter((e) => !isSending(e) || isSeed(e));
  const seeds = countSeeds(entries);
  const { excluded } = plan.summary;
  return {
    ...plan,
    entries,
    summary: {
      ...summarizeEntries(entries),
      ...(seeds > 0 ? { seeds } : {}),
      ...(excluded === undefined ? {} : { excluded }),
    },
  };
}

/** A run of workers sending only the seeds is another run than the whole plan's, of the same inputs. */
export function seedOnlyDigest(inputsDigest: string): string {
  return createHash('sha256').update(`${inputsDigest}\nseed-only`).digest('hex');
}
