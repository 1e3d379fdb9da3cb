import { toRequestBody } from '../compile/group-requests.js';
import type { RequestBody } from '../api/types.js';
import type { Plan, PlanEntry } from '../plan/types.js';

export interface PlannedRequest {
  body: RequestBody;
  entries: PlanEntry[];
}

/** The plan's send and retry entries as request bodies: same spec, content and sendAt share one, up to the spec's batch size. */
export function buildRequests(plan: Plan, defaultBatchSize = 100): PlannedRequest[] {
  const batchOf = new Map(plan.specs.map((s) => [s.name, s.batchSize]));
  const groups = new Map<string, PlanEntry[]>();
  for (const entry of plan.entries) {
    if ((entry.action !== 'send' && entry.action !== 'retry') || !entry.contentHash) continue;
    const key = `${entry.spec}\u0000${entry.contentHash}\u0000${entry.shift?.sendAt ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(entry);
    groups.set(key, list);
  }
  const requests: PlannedRequest[] = [];
  for (const entries of groups.values()) {
    const first = entries[0];
    const planned = first?.contentHash ? plan.contents[first.contentHash] : undefined;
    // Moved out of quiet hours: the same content with the plan's sendAt.
    const content = planned && first?.shift ? { ...planned, sendAt: first.shift.sendAt } : planned;
    if (!first || !content) throw new Error(`the plan has no content ${first?.contentHash ?? ''} for ${first?.spec ?? ''}`);
    const size = batchOf.get(first.spec) ?? defaultBatchSize;
    const sorted = [...entries].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
    for (let i = 0; i < sorted.length; i += size) {
      const chunk = sorted.slice(i, i + size);
      const destinations = chunk.map((e) => ({ messageId: e.messageId, to: { phoneNumber: e.phoneNumber } }));
      requests.push({ body: toRequestBody(content, destinations), entries: chunk });
    }
  }
  return requests;
}
