import type { ApiStatus } from '../api/types.js';

/** What an apply of a plan came to (apply returns it, report formats it). */
export interface ApplyResult {
  requests: number;
  messages: { total: number; accepted: number; rejected: number; failed: number; inDoubt: number; notSent: number };
  /** Messages by `groupId groupName` of the status the API returned. */
  byStatusGroup: Record<string, number>;
  /** Failed or in-doubt requests: `numbers` are the requests' destinations, masked. */
  failures: Array<{ bulkId: string; messages: number; numbers: string[]; reason: string }>;
  /** Statuses of a group waspec does not know: left in doubt, shown as they came. */
  unknownStatuses: ApiStatus[];
  interrupted: boolean;
  /** Set when authentication failed and the apply stopped. */
  authFailure?: string;
}

/** The result of sending nothing (yet): `total` messages, none recorded. */
export function emptyApplyResult(total = 0): ApplyResult {
  return {
    requests: 0,
    messages: { total, accepted: 0, rejected: 0, failed: 0, inDoubt: 0, notSent: 0 },
    byStatusGroup: {},
    failures: [],
    unknownStatuses: [],
    interrupted: false,
  };
}
