import type { SeedOnlyStep } from '../apply/seed-only.js';
import { noun, plural } from './plural.js';

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
