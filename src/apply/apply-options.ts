import type { PlanOptions } from './apply-inputs.js';

/** What `waspec apply` was asked to do, its flags parsed. */
export interface ApplyOptions {
  /** A saved plan to send exactly as reviewed (refused if stale); otherwise plan afresh. */
  planFile?: string;
  /** How to plan afresh (and, for workers, which inputs a run is of). */
  planOptions: PlanOptions;
  /** Ask the view before sending. */
  ask: boolean;
  /** Take over the file state's lock of a process that no longer runs. */
  forceUnlock: boolean;
  /** Send with no circuit breaker, and go on after a trip. */
  ignoreBreaker?: boolean;
  /** Go on after the last apply's breaker trip (the breaker stays on). */
  resume?: boolean;
  /** Send only the seeds' test messages (`apply --seed-only`); a later apply sends the rest. */
  seedOnly?: boolean;
  /** Processes on this machine to share the apply (PostgreSQL state); undefined: this one alone. */
  workers?: number;
  /** Set in a worker another process started beside itself: the run it joins. */
  workerOf?: string;
  /** Node's arguments for a worker started beside this one that joins `runId`. */
  workerArgv(runId: string): string[];
}
