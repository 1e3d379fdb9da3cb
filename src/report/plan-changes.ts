import type { PlanChange } from '../plan/plan-change.js';
import type { PlanInputFile } from '../plan/types.js';
import { plural } from './plural.js';

const NOUN: Record<PlanInputFile['kind'], string> = {
  spec: 'spec',
  recipients: 'recipient file',
  config: 'config',
  suppressions: 'suppression file',
  templates: 'template catalogue',
  rates: 'rate card',
};

const LIST_CHANGE = { added: 'added', changed: 'changed', dropped: 'no longer used' } as const;

/** One line saying what changed since a saved plan was made. */
export function describePlanChange(change: PlanChange): string {
  switch (change.kind) {
    case 'file':
      return `${NOUN[change.file]} ${change.change} since the plan was made: ${change.path}`;
    case 'state':
      return change.records === undefined
        ? 'the state changed since the plan was made'
        : `the state has ${plural(change.records, 'new record', 'new records')} since the plan was made`;
    case 'already-applied':
      return `this plan was already applied (${plural(change.messages, 'message', 'messages')} recorded since it was made)`;
    case 'suppression-list':
      return `suppression list ${LIST_CHANGE[change.change]} since the plan was made: ${change.location}`;
    case 'quiet-hours':
      return `${plural(change.messages, 'message', 'messages')} would now arrive in quiet hours (${change.from}–${change.to})`;
  }
}

/** Why apply refuses a saved plan that changed: a message and a hint. */
export function describeStalePlan(
  planFile: string,
  changes: readonly PlanChange[],
): { message: string; hint: string } {
  const [only] = changes;
  if (changes.length === 1 && only?.kind === 'already-applied') {
    return {
      message: `${planFile}: ${describePlanChange(only).replace(/^t/, 'T')}; nothing to send.`,
      hint: 'make a new plan with `waspec plan --out`',
    };
  }
  return {
    message: `the saved plan ${planFile} is stale:\n  - ${changes.map(describePlanChange).join('\n  - ')}`,
    hint: 'run `waspec plan --out` again and review the new plan',
  };
}
