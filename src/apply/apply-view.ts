import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan } from '../plan/types.js';
import type { ApplyRun, BreakerTrip } from '../state/types.js';
import type { ApplyProgress } from './apply-plan.js';
import type { ApplyResult } from './apply-result.js';
import type { InterruptsView } from './apply-signals.js';
import type { SeedOnlyStep } from './seed-only.js';

/** Shows an apply's progress while it sends; stopped once sending ends. */
export interface ProgressView {
  update(progress: ApplyProgress): void;
  stop(): void;
}

/**
 * What an apply tells its user, in the order it happens; the command chooses how (pretty or
 * JSON), the apply decides only when.
 */
export interface ApplyView extends InterruptsView {
  /** The plan's problems, shown whether or not they stop the apply. */
  diagnostics(diagnostics: readonly Diagnostic[]): void;
  /** The plan about to be sent. */
  plan(plan: Plan): void;
  nothingToSend(): void;
  /** `apply --seed-only` and no spec in scope has seeds: nothing sent. */
  noSeeds(): void;
  /**
   * `apply --seed-only` ended: its seeds' test messages were accepted (`sent`), or the seeds already
   * had this content; what to check and how to send the rest.
   */
  seedsDone(step: SeedOnlyStep, sent: boolean): void;
  /** The last apply's breaker tripped and this one was not told to go on: nothing sent. */
  breakerHolds(trip: BreakerTrip): void;
  /** Asks before sending; false cancels the apply. */
  confirm(): Promise<boolean>;
  cancelled(): void;
  /** This process joins a run another worker started. */
  joined(run: ApplyRun): void;
  /** This process started a run for the workers to share. */
  runStarted(run: ApplyRun): void;
  /** A progress display, created when sending starts. */
  progress(): ProgressView;
  /** A line a worker started beside this process wrote on its stderr (untrusted). */
  workerLine(worker: number, line: string): void;
  /** This worker stopped while `count` others carry on the apply. */
  othersCarryOn(count: number): void;
  result(result: ApplyResult): void;
}
