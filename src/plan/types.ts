import type { ApprovedTemplate } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { MessageContent } from '../api/types.js';
import type { MessageShape } from '../render/message-shape.js';
import type { Outcome, StoredContent } from '../state/types.js';

export type PlanAction = 'send' | 'unchanged' | 'drift' | 'retry' | 'rejected' | 'in-doubt' | 'orphan' | HeldAction;

/** Messages the policy keeps from being sent (suppression list, frequency cap, quiet hours). */
export type HeldAction = 'suppressed' | 'capped' | 'quiet-hours';

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
];

export interface PlanEntry {
  action: PlanAction;
  messageId: string;
  spec: string;
  revision: number;
  phoneNumber: string;
  /** Content now (absent for orphans). Key into Plan.contents. */
  contentHash?: string;
  /** The value of each variable its spec's message uses (absent for orphans and messages without variables). */
  vars?: Readonly<Record<string, string>>;
  /** Held by the policy: what it would have been and why it is not sent. */
  hold?: { was: 'send' | 'retry'; reason: string };
  /** Sent with another sendAt than its content's (moved out of quiet hours). */
  shift?: { sendAt: string; reason: string };
  /** What the state has, if anything. */
  previous?: {
    contentHash: string;
    outcome: Outcome;
    bulkId: string;
    sentAt: string;
    statusName?: string;
    error?: string;
  };
}

export interface PlanInputFile {
  /** Path relative to the workspace root (cwd). */
  path: string;
  kind: 'spec' | 'recipients' | 'config' | 'suppressions' | 'templates';
  sha256: string;
}

export interface PlanSpecInfo {
  name: string;
  file: string;
  revision: number;
  batchSize: number;
  /** The spec's message as written, when it has templates: how reviewers see many renders at once. */
  shape?: MessageShape;
}

/** The plan: plain, serialisable data (schemas/plan.schema.json). apply takes only this. */
export interface Plan {
  formatVersion: 1;
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
  entries: PlanEntry[];
  summary: Record<PlanAction, number>;
  inputs: {
    files: PlanInputFile[];
    /** `records`: how many journal records the state had (so staleness can say how many are new). */
    state: { location: string; sha256: string; records?: number };
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
  };
  diagnostics: Diagnostic[];
}
