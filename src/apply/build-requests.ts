import type { RequestBody } from '../api/types.js';
import { createRequestGrouper } from '../compile/group-requests.js';
import { WaspecError } from '../errors.js';
import { isSending, type Plan, type SendingEntry } from '../plan/types.js';

/** What the journal keeps of each destination of a request. */
export type RequestEntry = Pick<
  SendingEntry,
  'messageId' | 'spec' | 'revision' | 'phoneNumber' | 'contentHash'
> & {
  /** The spec's message as written (what the journal names instead of the rendered text). */
  writtenHash?: string;
};

export interface PlannedRequest {
  body: RequestBody;
  entries: RequestEntry[];
}

/**
 * The plan's send and retry entries as request bodies, grouped by compile's rule, spec by spec with
 * the batch size the plan recorded: on a fresh state, exactly the bodies `compile` prints. Entries
 * moved out of quiet hours carry the plan's sendAt, so they share requests only with each other.
 */
export function buildRequests(plan: Plan): PlannedRequest[] {
  const groups = new Map(
    plan.specs.map((spec) => [
      spec.name,
      { grouper: createRequestGrouper(spec.batchSize), bodies: [] as RequestBody[] },
    ]),
  );
  const byId = new Map<string, RequestEntry>();
  const written = new Map(plan.specs.map((s) => [s.name, s.writtenHash]));
  for (const entry of plan.entries) {
    if (!isSending(entry)) continue;
    const planned = plan.contents[entry.contentHash];
    const group = groups.get(entry.spec);
    if (!planned || !group)
      throw new WaspecError(
        'plan-file',
        `the plan has no ${planned ? 'spec' : `content ${entry.contentHash}`} for ${entry.spec}`,
      );
    const content = entry.shift ? { ...planned, sendAt: entry.shift.sendAt } : planned;
    const contentKey = entry.shift
      ? `${entry.contentHash}\u0000${entry.shift.sendAt}`
      : entry.contentHash;
    const { messageId, spec, revision, phoneNumber, contentHash } = entry;
    const writtenHash = written.get(spec);
    byId.set(messageId, {
      messageId,
      spec,
      revision,
      phoneNumber,
      contentHash,
      ...(writtenHash === undefined ? {} : { writtenHash }),
    });
    group.grouper.add(
      {
        spec: entry.spec,
        contentKey,
        content,
        messageId: entry.messageId,
        phoneNumber: entry.phoneNumber,
      },
      group.bodies,
    );
  }
  const requests: PlannedRequest[] = [];
  for (const { grouper, bodies } of groups.values()) {
    for (const body of [...bodies, ...grouper.finish()]) {
      requests.push({
        body,
        entries: body.destinations
          .map((d) => byId.get(d.messageId))
          .filter((e): e is RequestEntry => e !== undefined),
      });
    }
  }
  return requests;
}
