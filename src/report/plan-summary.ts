import type { PlanAction, PlanSummary } from '../plan/types.js';
import { plural } from './plural.js';

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The one-line summary, e.g. `Plan: 1,204 to send, 3 unchanged, 1 drift, 0 in doubt`.
 * send, unchanged, drift and in doubt always show; retry, rejected, orphan and held ones when present.
 */
export function formatPlanSummary(summary: PlanSummary): string {
  const parts = [`${count(summary.send)} to send`];
  if (summary.retry > 0) parts.push(`${count(summary.retry)} to retry`);
  parts.push(`${count(summary.unchanged)} unchanged`, `${count(summary.drift)} drift`);
  if (summary.rejected > 0) parts.push(`${count(summary.rejected)} rejected`);
  parts.push(`${count(summary['in-doubt'])} in doubt`);
  if (summary.orphan > 0) parts.push(plural(summary.orphan, 'orphan'));
  if (summary.suppressed > 0) parts.push(`${count(summary.suppressed)} suppressed`);
  if (summary.capped > 0) parts.push(`${count(summary.capped)} capped`);
  if (summary['quiet-hours'] > 0) parts.push(`${count(summary['quiet-hours'])} in quiet hours`);
  // Absent in plans of an older waspec.
  if ((summary.limit ?? 0) > 0) parts.push(`${count(summary.limit)} over the messaging limit`);
  if ((summary.excluded ?? 0) > 0) parts.push(`${count(summary.excluded ?? 0)} excluded`);
  return `Plan: ${parts.join(', ')}`;
}

/** Symbol, label and meaning of each action, in display order. */
export const ACTION_STYLE: ReadonlyArray<{
  action: PlanAction;
  symbol: string;
  label: string;
  meaning: string;
}> = [
  { action: 'send', symbol: '+', label: 'send', meaning: 'new: will be sent' },
  {
    action: 'retry',
    symbol: '↻',
    label: 'retry',
    meaning: 'failed before the API accepted it: will be sent again',
  },
  {
    action: 'suppressed',
    symbol: '⊘',
    label: 'suppressed',
    meaning: 'on the suppression list: never sent',
  },
  {
    action: 'capped',
    symbol: '⏸',
    label: 'capped',
    meaning: 'over the frequency cap: held back, sent by a later apply once the window allows',
  },
  {
    action: 'quiet-hours',
    symbol: '⏸',
    label: 'quiet hours',
    meaning: "in the recipient's quiet hours: held back, sent by a later apply outside them",
  },
  {
    action: 'limit',
    symbol: '⏸',
    label: 'limit',
    meaning:
      'over the messaging limit (unique recipients per 24 h): held back, sent by a later apply from the time shown',
  },
  {
    action: 'drift',
    symbol: '~',
    label: 'drift',
    meaning: 'accepted earlier with other content: not re-sent (bump revision to send again)',
  },
  {
    action: 'rejected',
    symbol: '!',
    label: 'rejected',
    meaning: 'refused by the API: not re-sent (--retry-rejected sends it again)',
  },
  {
    action: 'in-doubt',
    symbol: '?',
    label: 'in doubt',
    meaning: 'sent, no answer recorded: not re-sent (--resend-in-doubt sends it again)',
  },
  {
    action: 'orphan',
    symbol: '-',
    label: 'orphan',
    meaning: 'in the state, no longer in the spec: nothing is sent',
  },
  {
    action: 'unchanged',
    symbol: '=',
    label: 'unchanged',
    meaning: 'already accepted with this content: nothing is sent',
  },
];

export function styleOf(action: PlanAction): (typeof ACTION_STYLE)[number] {
  const style = ACTION_STYLE.find((s) => s.action === action);
  if (!style) throw new Error(`no style for ${action}`);
  return style;
}
