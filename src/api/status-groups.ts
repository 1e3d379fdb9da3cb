import type { ApiStatus } from './types.js';

/** What a status object says about one message at send time (shared/api/status-groups.md). */
export type StatusClass = 'accepted' | 'rejected' | 'unknown';

// 0 OK, 1 PENDING, 3 DELIVERED: the API took the message.
const ACCEPTED_GROUPS: ReadonlySet<number> = new Set([0, 1, 3]);
// 2 UNDELIVERABLE, 4 EXPIRED, 5 REJECTED: it will not be delivered.
const REJECTED_GROUPS: ReadonlySet<number> = new Set([2, 4, 5]);

/** Classifies a status by its group; a group waspec does not know is `unknown`, never guessed. */
export function classifyStatus(status: Pick<ApiStatus, 'groupId'>): StatusClass {
  if (ACCEPTED_GROUPS.has(status.groupId)) return 'accepted';
  if (REJECTED_GROUPS.has(status.groupId)) return 'rejected';
  return 'unknown';
}
