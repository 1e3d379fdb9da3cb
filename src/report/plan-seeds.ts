import type { SeedOnlyStep } from '../apply/seed-only.js';
import { isSeed, isSending, type Plan, type PlanEntry } from '../plan/types.js';
import { noun, plural } from './plural.js';

const n = (x: number) => x.toLocaleString('en-US');

/** The seed step's figures: test messages apply sends first, those already sent, and the rest. */
export interface SeedStep {
  /** Test messages to seeds apply sends (send and retry). */
  send: number;
  /** Distinct seed numbers they go to. */
  seeds: number;
  /** Test messages of this content the seeds already had (unchanged). */
  sent: number;
  /** Other seed entries (held, rejected, in doubt, drift). */
  other: number;
  /** Messages to recipients apply sends after them. */
  rest: number;
}

export function seedStepOf(entries: readonly PlanEntry[]): SeedStep | undefined {
  const step: SeedStep = { send: 0, seeds: 0, sent: 0, other: 0, rest: 0 };
  const numbers = new Set<string>();
  let any = false;
  for (const e of entries) {
    if (!isSeed(e)) {
      if (isSending(e)) step.rest++;
      continue;
    }
    any = true;
    if (isSending(e)) {
      step.send++;
      numbers.add(e.phoneNumber);
    } else if (e.action === 'unchanged') step.sent++;
    else step.other++;
  }
  step.seeds = numbers.size;
  return any ? step : undefined;
}

/**
 * One line for the seed step (test recipients first), shown under the plan's summary; none when no
 * spec has seeds.
 */
export function seedStepLine(plan: Pick<Plan, 'entries'>): string | undefined {
  const step = seedStepOf(plan.entries);
  if (!step) return undefined;
  const already = step.sent > 0 ? `; ${n(step.sent)} already sent for this text (unchanged)` : '';
  const other = step.other > 0 ? `; ${n(step.other)} not sent (see below)` : '';
  if (step.send === 0)
    return `Seed step: no test message to send${already}${other}; ${plural(step.rest, 'message')} to recipients.`;
  return `Seed step: ${plural(step.send, 'test message')} to ${plural(step.seeds, 'seed')} first${already}${other}; then ${plural(step.rest, 'message')} to recipients (apply --seed-only sends only the seeds).`;
}

/** How to send the rest after `apply --seed-only` (the same apply without the flag). */
const REST_HINT =
  'send the rest with the same apply without --seed-only (e.g. `waspec apply --yes`, or `waspec plan --out plan.json` then `waspec apply plan.json`): the seeds are then unchanged and get nothing more';

/** What `apply --seed-only` tells when it ends well: what to check, and how to send the rest. */
export function formatSeedsDone(step: SeedOnlyStep, sent: boolean): string {
  const rest =
    step.rest === undefined
      ? 'the messages to recipients wait'
      : `${plural(step.rest, 'message')} to recipients ${noun(step.rest, 'waits', 'wait')}`;
  const what = sent
    ? `Seeds only: ${plural(step.seeds, 'test message')} to ${plural(step.phones, 'seed')} accepted; ${rest} (not sent).`
    : `Seeds only: the seeds already have this text (nothing sent); ${rest} (not sent).`;
  return `${what}\nCheck the message on the seed phones: the text and its variables, media, buttons and links. Then ${REST_HINT}.\n`;
}

/** `apply --seed-only` with no seeds in scope. */
export const NO_SEEDS =
  'apply --seed-only: no spec in scope has seeds (seed: in the spec or the config); nothing was sent.\n';
