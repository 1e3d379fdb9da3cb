import type { ApprovedTemplate } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { MessageContent } from '../api/types.js';
import type { MessageShape } from '../render/message-shape.js';
import type { BreakerTrip, Outcome, StoredContent } from '../state/types.js';
import type { ExcludedRecipient } from '../recipients/types.js';
import type { PlanCost } from './plan-cost-types.js';
import type { LimitFigures } from './policy/apply-policies.js';
import type { VarsRow, VarsTable } from './vars-table.js';
import { setEntry, type EntryList } from './entry-list.js';

export type { PlanCost } from './plan-cost-types.js';

export type PlanAction =
  'send' | 'unchanged' | 'drift' | 'retry' | 'rejected' | 'in-doubt' | 'orphan' | HeldAction;

/** Messages the policy keeps from being sent (suppression list, frequency cap, quiet hours, messaging limit). */
export type HeldAction = 'suppressed' | 'capped' | 'quiet-hours' | 'limit';

export const PLAN_ACTIONS: readonly PlanAction[] = [
  'send',
  'retry',
  'unchanged',
  'drift',
  'rejected',
  'in-doubt',
  'orphan',
  'suppressed',
  'capped',
  'quiet-hours',
  'limit',
];

/**
 * How many entries have each action; `excluded` counts the recipients left out (plan.excluded),
 * `seeds` the test messages to seeds among send and retry.
 */
export type PlanSummary = Record<PlanAction, number> & { excluded?: number; seeds?: number };

/** What the state recorded of a message. */
export interface PreviousRecord {
  contentHash: string;
  outcome: Outcome;
  bulkId: string;
  sentAt: string;
  statusName?: string;
  error?: string;
  /** The spec's message as written when it was sent (absent for messages sent before waspec kept it). */
  writtenHash?: string;
  /** A test message to a seed (the state marks it). */
  test?: true;
}

/** Sent with another sendAt than its content's (moved out of quiet hours). */
export interface Shift {
  sendAt: string;
  reason: string;
}

interface EntryBase {
  messageId: string;
  spec: string;
  revision: number;
  phoneNumber: string;
}

/** A message compiled now. */
interface CompiledEntry extends EntryBase {
  /** Its content now: key into Plan.contents. */
  contentHash: string;
  /**
   * The value of each variable its spec's message uses (absent for messages without variables):
   * in a plan buildPlan made, its row in `Plan.variables` (varsOf gives the values).
   */
  vars?: Readonly<Record<string, string>> | VarsRow;
  /**
   * A test message to one of the spec's seeds (`seed:`), rendered with its sample recipient's
   * variables: apply sends it before any other message, `apply --seed-only` only these.
   */
  seed?: true;
}

/**
 * The step of a progressive apply an entry is sent in: apply sends every seed message, then every
 * canary message, then the rest (STAGES order). Absent on the entries of a spec with no rollout
 * and no seeds: apply sends them with the rest.
 */
export type Stage = 'seed' | 'canary' | 'rest';

/** The order apply sends the stages in: the plan's contract. */
export const STAGES: readonly Stage[] = ['seed', 'canary', 'rest'];

/** An entry's stage; an entry without one is sent with the rest. */
export function stageOf(entry: { stage?: Stage }): Stage {
  return entry.stage ?? 'rest';
}

/** Not in the state, or sent again (--retry-rejected, --resend-in-doubt: then `previous` is set). */
export interface SendEntry extends CompiledEntry {
  action: 'send';
  previous?: PreviousRecord;
  shift?: Shift;
  stage?: Stage;
}

/** Failed before the API accepted it: sent again. */
export interface RetryEntry extends CompiledEntry {
  action: 'retry';
  previous: PreviousRecord;
  shift?: Shift;
  stage?: Stage;
}

/** In the state, and not sent this time. */
export interface KeptEntry extends CompiledEntry {
  action: 'unchanged' | 'drift' | 'rejected' | 'in-doubt';
  previous: PreviousRecord;
}

/** Held by the policy: what it would have been and why it is not sent. */
export interface HeldEntry extends CompiledEntry {
  action: HeldAction;
  hold: { was: 'send' | 'retry'; reason: string };
  previous?: PreviousRecord;
  /** Moved out of quiet hours before a later rule (the cap) held it. */
  shift?: Shift;
}

/** In the state, no longer compiled: no content now. */
export interface OrphanEntry extends EntryBase {
  action: 'orphan';
  previous: PreviousRecord;
}

/** One message and what the plan does with it; the action says which fields exist. */
export type PlanEntry = SendEntry | RetryEntry | KeptEntry | HeldEntry | OrphanEntry;

/** The entries of messages compiled now (all but orphans). */
export type CompiledPlanEntry = Exclude<PlanEntry, OrphanEntry>;

/** The actions a compiled message gets from the state alone, before the policy. */
export type StateAction = (SendEntry | RetryEntry | KeptEntry)['action'];

/** The entries apply sends. */
export type SendingEntry = SendEntry | RetryEntry;

/** The entry's content now; none for an orphan. */
export function contentHashOf(entry: PlanEntry): string | undefined {
  return entry.action === 'orphan' ? undefined : entry.contentHash;
}

/** The variable values the entry was rendered with, if any (from the plan's table when it has a row there). */
export function varsOf(
  entry: PlanEntry,
  variables: VarsTable | undefined,
): Readonly<Record<string, string>> | undefined {
  if (entry.action === 'orphan' || entry.vars === undefined) return undefined;
  if (typeof entry.vars !== 'number') return entry.vars;
  return variables?.values(entry.vars);
}

/** One variable's value in the entry, if it has it. */
export function varOf(
  entry: PlanEntry,
  name: string,
  variables: VarsTable | undefined,
): string | undefined {
  if (entry.action === 'orphan' || entry.vars === undefined) return undefined;
  if (typeof entry.vars === 'number') return variables?.value(entry.vars, name);
  return Object.hasOwn(entry.vars, name) ? entry.vars[name] : undefined;
}

/**
 * Takes the variable values out of the plan, in place (only the formats show them): apply sends
 * without them, and at millions of recipients they are a fifth of the plan's memory.
 */
export function dropVars(plan: Pick<Plan, 'entries' | 'variables'>): void {
  delete plan.variables;
  const { entries } = plan;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries.at(i);
    // A row number costs nothing once the table is gone: only objects are taken out.
    if (entry === undefined || entry.action === 'orphan' || typeof entry.vars !== 'object')
      continue;
    const { vars: _vars, ...rest } = entry;
    setEntry(entries, i, rest);
  }
}

/** Whether the entry is a test message to a seed (compiled now, or as the state recorded it). */
export function isSeed(entry: PlanEntry): boolean {
  return entry.action === 'orphan' ? entry.previous.test === true : entry.seed === true;
}

/** Whether apply sends the entry (send or retry). */
export function isSending(entry: PlanEntry): entry is SendingEntry {
  return entry.action === 'send' || entry.action === 'retry';
}

export interface PlanInputFile {
  /** Path relative to the workspace root (cwd). */
  path: string;
  kind: 'spec' | 'recipients' | 'config' | 'suppressions' | 'templates' | 'rates';
  sha256: string;
}

/** A spec's rollout as the plan shows it (docs/progressive-sending.md). */
export interface SpecRolloutInfo {
  /** The canary as written: "5%" or a count. */
  canary: string;
  /** Whether apply stops after the canary. */
  pause: boolean;
  /** Set when the state records this revision's canary sent (and healthy): its messages go with the rest. */
  sent?: { at: string; messages: number };
}

/** The messages apply sends in each stage (seed → canary → rest); entries without a stage count as rest. */
export interface PlanStages {
  seed: number;
  canary: number;
  rest: number;
  /** apply stops after the canary (a spec's rollout.pause) and a later apply sends the rest. */
  pause?: true;
}

export interface PlanSpecInfo {
  name: string;
  file: string;
  revision: number;
  batchSize: number;
  /** Its rollout (the spec's, or the config's policy.rollout); absent without one. */
  rollout?: SpecRolloutInfo;
  /** The spec's message as written, when it has templates: how reviewers see many renders at once. */
  shape?: MessageShape;
  /** The spec's message as written ({{variables}} in place): what the state keeps, and drift is shown against. */
  written?: MessageContent;
  /** Hash of `written`: the in-flight records of its messages name it. */
  writtenHash?: string;
}

/** The plan: plain, serialisable data (schemas/plan.schema.json). apply takes only this. */
export interface Plan {
  formatVersion: 1;
  /**
   * A saved plan (`plan --out`): `contents`, entries' `vars` and `previousContents` are left out
   * (personal data); apply and show restore them from the hash-checked spec and recipient files.
   */
  private?: true;
  createdAt: string;
  specs: PlanSpecInfo[];
  /** Distinct rendered contents by contentHash. */
  contents: Record<string, MessageContent>;
  /**
   * What drift entries were accepted with, by previous.contentHash, as the state keeps it (numbers
   * masked, long values cut). A hash missing here is unknown: sent before the state kept contents,
   * or one of `previousContentsOmitted`.
   */
  previousContents?: Record<string, StoredContent>;
  /** Earlier contents the state keeps that the plan leaves out (over MAX_PREVIOUS_CONTENTS). */
  previousContentsOmitted?: number;
  /**
   * Hashes of `contents` to send that the state does not keep yet: apply journals each once, with
   * the first request that carries it. Absent (a plan of an older waspec): each one it sends.
   */
  contentsToStore?: string[];
  /** The approved templates the contents use (from the config's catalogue), for showing them filled in. */
  templates?: ApprovedTemplate[];
  /** In send order (seeds' test messages first), orphans last: an array, or buildPlan's compact table. */
  entries: EntryList;
  /**
   * The variable values of the entries whose `vars` is a row number (a plan buildPlan made): held
   * compactly instead of an object per entry, left out of JSON and of saved plans.
   */
  variables?: VarsTable;
  /** A saved plan of many messages: `entries` are its first ones, this digest covers all (src/plan/entries-digest.ts). */
  entriesDigest?: { count: number; sha256: string };
  /**
   * Recipient rows left out on purpose (`invalid: hold`, `duplicates: first`), with the reason:
   * never sent. They have no entry (an invalid number has no messageId). Numbers are masked.
   */
  excluded?: ExcludedRecipient[];
  summary: PlanSummary;
  /** What the messages it sends cost, by the config's rate card (`rates:`); absent without one. */
  cost?: PlanCost;
  /** The messaging limit (policy.messagingLimit): recipients counted and held; absent without one. */
  messagingLimit?: LimitFigures;
  /** The stages apply sends in, with their messages; absent when no spec has a rollout or seeds. */
  stages?: PlanStages;
  /** How long apply takes: its requests, and at the configured rate limit the seconds. */
  pace?: { requests: number; rateLimit?: number; seconds?: number };
  inputs: {
    files: PlanInputFile[];
    /** `records`: how many journal records the state had (so staleness can say how many are new). */
    state: {
      location: string;
      sha256: string;
      records?: number;
      /** The last apply's breaker trip, when no apply has sent since (apply refuses to go on unless told). */
      breaker?: BreakerTrip;
    };
    /** Suppression sources that are not files (a database table), by digest of what was read. */
    suppressions?: Array<{ location: string; sha256: string }>;
  };
  options: {
    retryRejected: boolean;
    resendInDoubt: boolean;
    targets: string[];
    /** The spec paths the plan was made from (to notice added specs). */
    paths?: string[];
    /** `--allow-large N`: the size approved above maxRecipients / maxMessagesPerApply. */
    allowLarge?: number;
    /** `--allow-cost AMOUNT` as written: the cost approved above policy.budget. */
    allowCost?: string;
  };
  diagnostics: Diagnostic[];
}
