import type { EntryList } from './entry-list.js';
import { isSeed, isSending, type PlanAction } from './types.js';

export function summarizeEntries(entries: EntryList): Record<PlanAction, number> {
  const summary = emptySummary();
  for (const e of entries) summary[e.action]++;
  return summary;
}

/** The test messages to seeds apply sends (send and retry entries of seeds). */
export function countSeeds(entries: EntryList): number {
  let n = 0;
  for (const e of entries) if (isSending(e) && isSeed(e)) n++;
  return n;
}

/** Whether applying the plan would send anything (send or retry entries). */
export function planHasWork(summary: Record<PlanAction, number>): boolean {
  return summary.send + summary.retry > 0;
}

/**
 * Whether the plan shows a change a reviewer must see (`--detailed-exitcode` exits 2): messages to
 * send or retry, and drift (not re-sent, but the message differs from what was accepted). Messages
 * held by a standing rule (suppressed, capped, quiet hours) and ones waiting on a person (rejected,
 * in doubt) are not changes: they would be held or waiting on every run.
 */
export function planHasChanges(summary: Record<PlanAction, number>): boolean {
  return summary.send + summary.retry + summary.drift > 0;
}

export function emptySummary(): Record<PlanAction, number> {
  return {
    send: 0,
    retry: 0,
    unchanged: 0,
    drift: 0,
    rejected: 0,
    'in-doubt': 0,
    orphan: 0,
    suppressed: 0,
    capped: 0,
    'quiet-hours': 0,
    limit: 0,
  };
}
