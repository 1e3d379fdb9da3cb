import type { ApiStatus } from '../api/types.js';
import type { BreakerTrip } from '../state/types.js';

/** A request that ended without every message answered: its destinations, masked. */
export interface RequestProblem {
  bulkId: string;
  messages: number;
  numbers: string[];
  /** The spec of each number (same order); absent in outcomes of an older waspec. */
  specs?: string[];
  reason: string;
}

/** A message the API answered for but did not accept, named for the summary. */
export interface AnsweredProblem {
  outcome: 'rejected' | 'in-doubt';
  number: string;
  spec?: string;
  reason: string;
}

/** Answered problems the result keeps by name (the rest are counted): memory stays bounded. */
export const MAX_NAMED_PROBLEMS = 10;

/** What an apply of a plan came to (apply returns it, report formats it). */
export interface ApplyResult {
  requests: number;
  messages: {
    total: number;
    accepted: number;
    rejected: number;
    failed: number;
    inDoubt: number;
    notSent: number;
  };
  /** Messages by `groupId groupName` of the status the API returned. */
  byStatusGroup: Record<string, number>;
  /** Failed requests. */
  failures: RequestProblem[];
  /** Requests that went out without an answer (timeout, reset): the API may have them. */
  inDoubtRequests: RequestProblem[];
  /** The first MAX_NAMED_PROBLEMS rejected (or answered but in doubt) messages, masked. */
  answeredProblems?: AnsweredProblem[];
  /** Statuses of a group waspec does not know: left in doubt, shown as they came. */
  unknownStatuses: ApiStatus[];
  interrupted: boolean;
  /** Set when authentication failed and the apply stopped. */
  authFailure?: string;
  /** Set when the circuit breaker stopped the apply: what was not sent stays unsent. */
  breaker?: BreakerTrip;
  /**
   * Set when the apply sent a canary: its messages, and whether its answers were healthy (the
   * breaker's thresholds over them; when not, `breaker` says why and the rest stays unsent).
   */
  canary?: { messages: number; healthy: boolean };
  /** Set when the apply stopped after a healthy canary (rollout.pause): the rest waits for the next apply. */
  paused?: true;
}

/** How one message of an answered request came out. */
export type MessageOutcome =
  | ({ messageId: string; outcome: 'accepted' | 'rejected'; status: ApiStatus } & Named)
  /** An unknown status group (status kept) or a destination missing from the answer: never guessed. */
  | ({ messageId: string; outcome: 'in-doubt'; status?: ApiStatus } & Named);

/** Who a message went to (masked) and its spec, for naming it in the summary. */
interface Named {
  number?: string;
  spec?: string;
}

/** How one request came out, after its retries. */
export type RequestOutcome =
  | { kind: 'answered'; bulkId: string; messages: MessageOutcome[] }
  | ({
      kind: 'failed';
      httpStatus?: number;
      /** The apply stopped: the credentials were refused. */ authFailure?: boolean;
    } & RequestProblem)
  | ({ kind: 'in-doubt' } & RequestProblem);

/** The result of sending nothing (yet): `total` messages, none recorded. */
export function emptyApplyResult(total = 0): ApplyResult {
  return {
    requests: 0,
    messages: { total, accepted: 0, rejected: 0, failed: 0, inDoubt: 0, notSent: 0 },
    byStatusGroup: {},
    failures: [],
    inDoubtRequests: [],
    unknownStatuses: [],
    interrupted: false,
  };
}

const problemOf = ({
  bulkId,
  messages,
  numbers,
  specs,
  reason,
}: RequestProblem): RequestProblem => ({
  bulkId,
  messages,
  numbers,
  ...(specs ? { specs } : {}),
  reason,
});

function nameProblem(result: ApplyResult, message: MessageOutcome): void {
  if (message.outcome === 'accepted') return;
  const named = (result.answeredProblems ??= []);
  if (named.length >= MAX_NAMED_PROBLEMS) return;
  const s = message.status;
  named.push({
    outcome: message.outcome,
    number: message.number ?? message.messageId,
    ...(message.spec === undefined ? {} : { spec: message.spec }),
    reason: s
      ? `${s.name}${s.description ? `: ${s.description}` : ''}`
      : 'no status for it in the answer',
  });
}

/** Adds one request's outcome to `result` (an accumulator, so that a fold over many requests stays linear). */
function addOutcome(result: ApplyResult, outcome: RequestOutcome): ApplyResult {
  result.requests++;
  const m = result.messages;
  if (outcome.kind === 'failed') {
    m.failed += outcome.messages;
    result.failures.push(problemOf(outcome));
    if (outcome.authFailure) result.authFailure = outcome.reason;
    return result;
  }
  if (outcome.kind === 'in-doubt') {
    m.inDoubt += outcome.messages;
    result.inDoubtRequests.push(problemOf(outcome));
    return result;
  }
  for (const message of outcome.messages) {
    if (message.status) {
      const group = `${message.status.groupId} ${message.status.groupName}`;
      result.byStatusGroup[group] = (result.byStatusGroup[group] ?? 0) + 1;
    }
    nameProblem(result, message);
    if (message.outcome === 'accepted') m.accepted++;
    else if (message.outcome === 'rejected') m.rejected++;
    else {
      m.inDoubt++;
      if (message.status) result.unknownStatuses.push(message.status);
    }
  }
  return result;
}

/**
 * The apply's result from its requests' outcomes: `total` messages were to be sent; those of no
 * outcome were not sent (the apply stopped first).
 */
export function summarizeApply(
  total: number,
  outcomes: Iterable<RequestOutcome>,
  stopped: { interrupted: boolean },
): ApplyResult {
  const summary = applySummary(total);
  for (const outcome of outcomes) summary.add(outcome);
  return summary.finish(stopped);
}

/** summarizeApply one outcome at a time, as requests end: no outcome is kept once counted. */
export function applySummary(total: number): {
  add(outcome: RequestOutcome): void;
  finish(stopped: { interrupted: boolean }): ApplyResult;
} {
  let result = emptyApplyResult(total);
  return {
    add: (outcome) => {
      result = addOutcome(result, outcome);
    },
    finish: (stopped) => {
      const m = result.messages;
      m.notSent = total - (m.accepted + m.rejected + m.failed + m.inDoubt);
      result.interrupted = stopped.interrupted;
      return result;
    },
  };
}
