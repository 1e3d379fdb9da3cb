import type { ApiStatus, MessageContent } from '../api/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SuppressionTable } from '../suppressions/types.js';

export type Outcome = 'in-flight' | 'accepted' | 'rejected' | 'failed';

/** What the state knows of one messageId (the journal folded). */
export interface MessageState {
  messageId: string;
  spec: string;
  revision: number;
  maskedPhoneNumber: string;
  contentHash: string;
  /** Hash of the spec's message as written when it was sent (a message record keeps it). */
  writtenHash?: string;
  bulkId: string;
  /** ISO time the request was first journalled as in flight. */
  sentAt: string;
  /** ISO time of the last record. */
  updatedAt: string;
  outcome: Outcome;
  /** The API's status object (accepted or rejected). */
  status?: ApiStatus;
  /** HTTP status of a failed request, if there was one. */
  httpStatus?: number;
  /** A readable reason for a failure (never contains secrets). */
  error?: string;
  /** A test message to a seed (`seed:` of its spec), not to a recipient. */
  test?: true;
  /** Set when a person settled an in-doubt message (`waspec state settle`). */
  settled?: { as: SettledAs; by: string; at: string; reason: string };
}

/** What a person found out about an in-doubt message (e.g. in the AICC console). */
export type SettledAs = 'accepted' | 'not-sent';

/** One line of the journal. `v` is the journal format version. */
export type JournalRecord =
  | {
      /**
       * Version 4 keeps no phone number (version 1 did: read, and removed by `state compact`);
       * version 7 may mark messages as tests (a waspec that reads only 1 to 6 refuses it instead of
       * taking test messages for real ones).
       */
      v: 1 | 4 | 7;
      type: 'in-flight';
      at: string;
      bulkId: string;
      messages: Array<{
        messageId: string;
        spec: string;
        revision: number;
        /** Only in version 1 records: never written any more. */
        phoneNumber?: string;
        maskedPhoneNumber: string;
        contentHash: string;
        writtenHash?: string;
        /** Version 7: a test message to a seed. */
        test?: true;
      }>;
    }
  | {
      v: 1;
      type: 'outcome';
      at: string;
      bulkId: string;
      results: Array<{
        messageId: string;
        outcome: Exclude<Outcome, 'in-flight'>;
        status?: ApiStatus;
        httpStatus?: number;
        error?: string;
      }>;
    }
  | {
      /** Version 2: a waspec that knows only version 1 refuses the journal instead of misreading it. */
      v: 2;
      type: 'settle';
      at: string;
      /** Who settled them, and why (journalled for the audit trail). */
      by: string;
      reason: string;
      as: SettledAs;
      messageIds: string[];
    }
  | ({
      /** Version 3: a waspec that reads only versions 1 and 2 refuses the journal instead of calling it damaged. */
      v: 3;
      type: 'content';
      at: string;
      /** The contentHash in-flight records name: of the content as sent, before masking and cutting. */
      hash: string;
    } & StoredContent)
  | ({
      /** Version 4: the spec's message as written, once per hash (no recipient's values). */
      v: 4;
      type: 'message';
      at: string;
      hash: string;
    } & StoredContent)
  | ({
      /** Version 5: a waspec that reads only versions 1 to 4 refuses the journal instead of calling it damaged. */
      v: 5;
      type: 'breaker';
    } & BreakerTrip)
  | ({
      /** Version 6: a spec's canary was sent and judged healthy (docs/progressive-sending.md). */
      v: 6;
      type: 'canary';
    } & CanarySent);

/** A spec revision's canary, sent by an apply and judged healthy: later applies send the rest without one. */
export interface CanarySent {
  /** ISO time it was judged. */
  at: string;
  spec: string;
  revision: number;
  /** How many canary messages that apply sent. */
  messages: number;
}

/** Why an apply's circuit breaker stopped it: the share over its window of answers, and the top reasons. */
export interface BreakerTrip {
  /** ISO time it tripped. */
  at: string;
  /** Which share crossed its threshold: of rejected messages, or of messages of failed requests. */
  cause: 'rejected' | 'failed';
  /** The share (0-1) over `answers` answers, and the threshold it crossed. */
  share: number;
  threshold: number;
  answers: number;
  /** The commonest reasons in the window, most frequent first. */
  reasons: Array<{ reason: string; count: number }>;
}

/**
 * A content as the state keeps it, once per contentHash (so a drift can be shown as a diff):
 * what the phone shows, without the destination; numbers masked and long values cut.
 */
export interface StoredContent {
  content: MessageContent;
  /** Set when a value was cut to fit the stored size. */
  cut?: true;
}

/**
 * The state's messages by messageId, read-only: a Map, or the columns a read fills
 * (message-table.ts), whose `get` and `values` build each MessageState anew (equal values, never
 * the same object twice: compare messageIds, not objects).
 */
export interface MessageStates {
  readonly size: number;
  get(messageId: string): MessageState | undefined;
  has(messageId: string): boolean;
  /** In the order the messages were first journalled. */
  values(): IterableIterator<MessageState>;
  keys(): IterableIterator<string>;
  /** The message's place in `values()`, or -1 (a table; a Map has none). */
  indexOf?(messageId: string): number;
  /** The message at a place of `values()`. */
  at?(index: number): MessageState;
}

export interface StateSnapshot {
  messages: MessageStates;
  /** sha256 hex of the journal bytes read; a saved plan records it. */
  digest: string;
  /** E.g. a torn last line. */
  diagnostics: Diagnostic[];
  /** How many records were folded (lets a stale plan say how many are new). */
  records?: number;
  /** The hashes whose content the state keeps (content records, and messages as written). */
  contents: ReadonlySet<string>;
  /** The last apply's circuit breaker trip, when no apply has sent since. */
  breaker?: BreakerTrip;
  /** The canaries sent, by spec and revision (canaryKey): the last one of each. */
  canaries?: ReadonlyMap<string, CanarySent>;
}

/** The key of a spec revision's canary in StateSnapshot.canaries. */
export function canaryKey(spec: string, revision: number): string {
  return `${spec}\u0000${revision}`;
}

export interface LockInfo {
  owner: string;
  host: string;
  pid: number;
  since: string;
}

export interface StateLock {
  info: LockInfo;
  release(): Promise<void>;
}

/** The state backend. A Postgres one can be added behind the same interface. */
export interface StateStore {
  /** Human description, e.g. the directory. */
  readonly location: string;
  /** Where a plan may keep a temporary file (the file state's folder); absent: the OS temp dir. */
  readonly tempDir?: string;
  read(): Promise<StateSnapshot>;
  /** Durable when it resolves (fsync). */
  append(records: JournalRecord[]): Promise<void>;
  /** Throws LockHeldError naming the holder when another process holds it. */
  lock(options?: { force?: boolean }): Promise<StateLock>;
  /** The stored contents of these hashes (the ones the state keeps; others are left out). */
  readContents(hashes: ReadonlySet<string>): Promise<Map<string, StoredContent>>;
  /**
   * The workspace's suppression table (PostgreSQL only): every plan on this state takes its
   * numbers with the config's files. The file state has none: its suppressions are files.
   */
  readonly suppressions?: SuppressionTable;
}

/** A store the CLI opens: also lists its raw records (state migrate, state show) and closes. */
export interface StateBackend extends StateStore {
  /**
   * Every record, oldest first, a page at a time: read as they are taken, so a state of any size
   * is listed in bounded memory (state migrate, state show). Stopping early ends the read.
   */
  recordPages(): AsyncIterable<JournalRecord[]>;
  /** Releases connections (a no-op for files). */
  close(): Promise<void>;
  /**
   * Rewrites the records without personal data (compactRecord): full numbers and rendered texts
   * of older waspecs go. The caller holds the lock.
   */
  compact(): Promise<import('./compact-records.js').CompactResult>;
}

/** A worker's share of the apply lock (apply --workers, PostgreSQL only). */
export interface WorkerLock extends StateLock {
  workerId: string;
}

/** An apply shared by workers: the plan's requests as rows, claimed one by one. */
export interface ApplyRun {
  id: string;
  inputsDigest: string;
  messages: number;
  requests: number;
  /** Requests per second for all workers together; none when unset. */
  rateLimit?: number;
  startedBy: string;
  startedAt: string;
  /** Set when the run sends a canary: judged once its requests are answered, before the rest. */
  canary?: RunCanary;
}

/** A run's canary: whether it pauses after it, and the canary messages of each spec revision. */
export interface RunCanary {
  pause: boolean;
  sent: Array<{ spec: string; revision: number; messages: number }>;
}

/** A request's stage as a rank: every request of a lower rank is answered before a higher one is sent. */
export const STAGE_RANK = { seed: 0, canary: 1, rest: 2 } as const;

/** One request of a new run: `payload` is the request as apply needs it (no secrets); `stage` a STAGE_RANK (default rest). */
export interface NewRunRequest {
  bulkId: string;
  messages: number;
  payload: unknown;
  stage?: number;
}

/** What a starter offers: the plan's requests, and what it was planned from. */
export interface NewApplyRun {
  inputsDigest: string;
  /** The state digest the plan read: a state changed since is planned again, never materialised. */
  stateDigest: string;
  rateLimit?: number;
  startedBy: string;
  /**
   * In send order, gone through once while they are inserted (a starter builds them meanwhile, so
   * only a page of them is held); none: nothing to send.
   */
  requests: Iterable<NewRunRequest>;
  /**
   * Asked once the requests are all gone through (a starter gathers them while building the
   * requests): the run's canary, when it has one, and the records journalled with the run (the
   * content records of contents the state does not keep yet).
   */
  finish(): { canary?: RunCanary; records: JournalRecord[] };
}

export type StartRunResult =
  | { kind: 'started' | 'joined'; run: ApplyRun }
  /** Nothing to send and no open apply to join. */
  | { kind: 'nothing' }
  /** The state changed after the plan was read: plan again. */
  | { kind: 'state-changed' };

export type RequestPhase = 'pending' | 'out' | 'waiting' | 'done';

/** One request of a run as the summary needs it. */
export interface ApplyRunRow {
  seq: number;
  bulkId: string;
  messages: number;
  phase: RequestPhase;
  /** Done rows: the outcome as apply stored it. */
  outcome?: unknown;
  /** Rows left out or waiting by a worker that is gone: the request (for its masked numbers). */
  payload?: unknown;
}

export interface ApplyRunProgress {
  /** Requests and messages by phase; `out`/`waiting` only those of live workers. */
  requests: Record<RequestPhase, number>;
  messages: Record<RequestPhase, number>;
  /** Requests (and their messages) left out or waiting by workers that are gone. */
  orphaned: { requests: number; messages: number };
  liveWorkers: number;
}

export interface ClaimedRequest {
  seq: number;
  payload: unknown;
}

/** One worker's handle on a run. */
export interface ApplyRunWorker {
  readonly run: ApplyRun;
  /**
   * Claims the next pending request and commits the records `inFlight` makes of it (its in-flight
   * record) in the same transaction; undefined when none is pending.
   */
  claim(inFlight: (payload: unknown) => JournalRecord[]): Promise<ClaimedRequest | undefined>;
  /** Journals `records` and moves the claimed request to `phase` ('waiting' for a backoff, 'out' again), in one transaction. */
  mark(seq: number, phase: 'out' | 'waiting', records: JournalRecord[]): Promise<void>;
  /**
   * Journals the outcome's records and stores the outcome, in one transaction; with `next`, claims
   * the next pending request in the same transaction (one commit per request instead of two).
   */
  finish(
    seq: number,
    outcome: unknown,
    records: JournalRecord[],
    next?: (payload: unknown) => JournalRecord[],
  ): Promise<ClaimedRequest | undefined>;
  /** Puts a claimed request waiting out its backoff back to pending, for the run's other workers. */
  unclaim(seq: number): Promise<void>;
  /** Milliseconds until this worker's next send slot in the run's shared rate budget (0 without a limit). */
  slot(): Promise<number>;
  /** The whole run's requests and messages by phase (it counts every row of the run: not cheap). */
  progress(): Promise<ApplyRunProgress>;
  /** The run's live workers (this one included), as progress() counts them. */
  liveWorkers(): Promise<number>;
  /** Whether any request of the run is pending (progress().requests.pending > 0, without counting). */
  anyPending(): Promise<boolean>;
  /**
   * The rows the run's summary counts, in seq order, handed to `onPage` a page at a time from one
   * snapshot (only a page is held): done rows, and rows out or waiting whose worker is gone.
   * Pending rows and rows a live worker has out are never read (they count as not sent).
   */
  summaryRows(onPage: (rows: ApplyRunRow[]) => void): Promise<void>;
  /**
   * Ends the run when nothing is pending (or its breaker tripped) and no live worker has a request
   * out; whether it has ended.
   */
  endIfDone(): Promise<boolean>;
  /** Trips the run's breaker: no worker claims another request; `records` (the breaker record) journalled with the first trip. */
  trip(trip: BreakerTrip, records: JournalRecord[]): Promise<void>;
  /** The run's breaker trip, if it tripped. */
  tripped(): Promise<BreakerTrip | undefined>;
  /**
   * The stored outcomes of the run's canary requests once none is pending or out with a live
   * worker, while the canary is not judged yet (and the breaker has not tripped); else undefined.
   */
  canaryAnswered(): Promise<unknown[] | undefined>;
  /** Records the canary's verdict (the first wins) and journals `records` with it: 'passed' lets the rest be claimed. */
  judgeCanary(verdict: 'passed' | 'paused', records: JournalRecord[]): Promise<void>;
  /** The canary's verdict, if judged. */
  canaryVerdict(): Promise<'passed' | 'paused' | undefined>;
}

/** The PostgreSQL state's applies by many workers. */
export interface SharedApplyStore {
  lockWorker(): Promise<WorkerLock>;
  /** The workspace's unfinished run, if any. */
  openRun(): Promise<ApplyRun | undefined>;
  /**
   * In one transaction: joins the workspace's unfinished run of the same inputs; refuses one of other
   * inputs that live workers still apply (and ends one they left); else materialises `run`.
   */
  startRun(lock: WorkerLock, run: NewApplyRun): Promise<StartRunResult>;
  /** Joins the run by id; undefined when it has ended (or is not this workspace's). */
  joinRun(lock: WorkerLock, runId: string): Promise<ApplyRun | undefined>;
  worker(lock: WorkerLock, run: ApplyRun): ApplyRunWorker;
}
