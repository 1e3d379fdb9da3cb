import type { RequestBody } from '../api/types.js';
import { createRequestGrouper } from '../compile/group-requests.js';
import { WaspecError } from '../errors.js';
import {
  isSending,
  stageOf,
  STAGES,
  type Plan,
  type SendingEntry,
  type Stage,
} from '../plan/types.js';

/** What the journal keeps of each destination of a request. */
export type RequestEntry = Pick<
  SendingEntry,
  'messageId' | 'spec' | 'revision' | 'phoneNumber' | 'contentHash'
> & {
  /** The spec's message as written (what the journal names instead of the rendered text). */
  writtenHash?: string;
  /** A test message to a seed: journalled as one. */
  test?: true;
};

export interface PlannedRequest {
  body: RequestBody;
  entries: RequestEntry[];
  /** The stage its entries are sent in (all the same); absent: with the rest, no stages. */
  stage?: Stage;
}

interface Group {
  grouper: ReturnType<typeof createRequestGrouper>;
  bodies: RequestBody[];
  stage: Stage | undefined;
}

/**
 * The plan's send and retry entries as request bodies, grouped by compile's rule, spec by spec with
 * the batch size the plan recorded: on a fresh state, exactly the bodies `compile` prints. Entries
 * moved out of quiet hours carry the plan's sendAt, so they share requests only with each other.
 * A request holds the entries of one stage; the requests come stage by stage (STAGES order: seed,
 * canary, rest), each stage spec by spec. Entries without a stage go with the rest.
 */
export function buildRequests(plan: Plan): PlannedRequest[] {
  // Per stage, per spec in the plan's spec order (as compile groups), made when first needed.
  const groups = new Map<Stage, Map<string, Group>>();
  const groupOf = (entry: SendingEntry): Group | undefined => {
    const stage = stageOf(entry);
    let specs = groups.get(stage);
    if (!specs) {
      specs = new Map(
        plan.specs.map((spec) => [
          spec.name,
          { grouper: createRequestGrouper(spec.batchSize), bodies: [], stage: undefined },
        ]),
      );
      groups.set(stage, specs);
    }
    const group = specs.get(entry.spec);
    if (group && entry.stage) group.stage = entry.stage;
    return group;
  };
  const byId = new Map<string, RequestEntry>();
  const written = new Map(plan.specs.map((s) => [s.name, s.writtenHash]));
  for (const entry of plan.entries) {
    if (!isSending(entry)) continue;
    const planned = plan.contents[entry.contentHash];
    const group = groupOf(entry);
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
      ...(entry.seed ? { test: true as const } : {}),
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
  for (const stage of STAGES)
    for (const { grouper, bodies, stage: named } of groups.get(stage)?.values() ?? []) {
      for (const body of [...bodies, ...grouper.finish()]) {
        requests.push({
          body,
          entries: body.destinations
            .map((d) => byId.get(d.messageId))
            .filter((e): e is RequestEntry => e !== undefined),
          ...(named ? { stage: named } : {}),
        });
      }
    }
  return requests;
}

/** The requests in runs of one stage each, in the order given (buildRequests: STAGES order). */
export function requestsByStage(requests: readonly PlannedRequest[]): PlannedRequest[][] {
  const runs: PlannedRequest[][] = [];
  let last: Stage | undefined;
  for (const request of requests) {
    const stage = request.stage ?? 'rest';
    const current = runs[runs.length - 1];
    if (current && stage === last) current.push(request);
    else runs.push([request]);
    last = stage;
  }
  return runs;
}
