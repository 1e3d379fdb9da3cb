import type { PlanInputFile } from './types.js';

/** One thing that changed since a saved plan was made (report/plan-changes words it). */
export type PlanChange =
  /** An input file of the plan removed or edited, or a spec or config added where the plan read none. */
  | {
      kind: 'file';
      file: PlanInputFile['kind'];
      change: 'added' | 'removed' | 'edited';
      path: string;
    }
  /** The state has `records` more records, or (records undefined) differs otherwise. */
  | { kind: 'state'; records?: number }
  /** The state recorded an answer for each of the plan's `messages` sends: it was applied. */
  | { kind: 'already-applied'; messages: number }
  /** A suppression list that is not a file (a table) changed, or was added or dropped. */
  | { kind: 'suppression-list'; change: 'added' | 'changed' | 'dropped'; location: string }
  /** Immediate sends that would now arrive in quiet hours. */
  | { kind: 'quiet-hours'; messages: number; from: string; to: string };
