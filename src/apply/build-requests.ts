import type { MessageContent, RequestBody } from '../api/types.js';
import { entryAt } from '../plan/entry-list.js';
import { createRequestGrouper } from '../compile/group-requests.js';
import { WaspecError } from '../errors.js';
import { hasContent } from '../plan/content-store.js';
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

/**
 * The plan's send and retry entries as request bodies, grouped by compile's rule, spec by spec with
 * the batch size the plan recorded: on a fresh state, exactly the bodies `compile` prints. Entries
 * moved out of quiet hours carry the plan's sendAt, so they share requests only with each other.
 * A request holds the entries of one stage; the requests come stage by stage (STAGES order: seed,
 * canary, rest), each stage spec by spec. Entries without a stage go with the rest.
 */
export function buildRequests(plan: Plan): PlannedRequest[] {
  return [...plannedRequests(plan)];
}

/** How many messages the plan sends (its send and retry entries). */
export function sendingCount(plan: Pick<Plan, 'entries'>): number {
  let n = 0;
  for (const entry of plan.entries) if (isSending(entry)) n++;
  return n;
}

/** Where the entries of one stage and spec lie in the plan, and whether any names its stage. */
interface Part {
  first: number;
  last: number;
  named: boolean;
}

/**
 * buildRequests one request at a time, in the same order: only the requests still being grouped
 * are held (the grouper's pending groups), so apply's memory does not grow with the plan's requests.
 * The whole plan is checked first (a missing spec or content is refused before anything is sent).
 */
export function plannedRequests(
  plan: Pick<Plan, 'specs' | 'entries' | 'contents'>,
): Iterable<PlannedRequest> {
  const specs = new Set(plan.specs.map((s) => s.name));
  // Per stage and spec, the range of its entries (compile yields spec after spec).
  const parts = new Map<string, Part>();
  plan.entries.forEach((entry, i) => {
    if (!isSending(entry)) return;
    const planned = hasContent(plan.contents, entry.contentHash);
    if (!planned || !specs.has(entry.spec))
      throw new WaspecError(
        'plan-file',
        `the plan has no ${planned ? 'spec' : `content ${entry.contentHash}`} for ${entry.spec}`,
      );
    const key = `${stageOf(entry)}\u0000${entry.spec}`;
    const part = parts.get(key);
    if (part) {
      part.last = i;
      part.named ||= entry.stage !== undefined;
    } else parts.set(key, { first: i, last: i, named: entry.stage !== undefined });
  });
  return (function* () {
    for (const stage of STAGES)
      for (const spec of plan.specs) {
        const part = parts.get(`${stage}\u0000${spec.name}`);
        if (part) yield* partRequests(plan, spec, stage, part);
      }
  })();
}

function* partRequests(
  plan: Pick<Plan, 'entries' | 'contents'>,
  spec: Plan['specs'][number],
  stage: Stage,
  part: Part,
): Generator<PlannedRequest> {
  const grouper = createRequestGrouper(spec.batchSize);
  // The entries of destinations not sent yet (in a group still growing).
  const byId = new Map<string, RequestEntry>();
  const { writtenHash } = spec;
  const planned = (body: RequestBody): PlannedRequest => {
    const entries: RequestEntry[] = [];
    for (const d of body.destinations) {
      const e = byId.get(d.messageId);
      if (e === undefined) continue;
      byId.delete(d.messageId);
      entries.push(e);
    }
    return { body, entries, ...(part.named ? { stage } : {}) };
  };
  const ready: RequestBody[] = [];
  for (let i = part.first; i <= part.last; i++) {
    const entry = entryAt(plan.entries, i);
    if (!isSending(entry) || entry.spec !== spec.name || stageOf(entry) !== stage) continue;
    const content = plan.contents[entry.contentHash] as MessageContent;
    const { messageId, revision, phoneNumber, contentHash } = entry;
    byId.set(messageId, {
      messageId,
      spec: spec.name,
      revision,
      phoneNumber,
      contentHash,
      ...(writtenHash === undefined ? {} : { writtenHash }),
      ...(entry.seed ? { test: true as const } : {}),
    });
    grouper.add(
      {
        spec: spec.name,
        contentKey: entry.shift ? `${contentHash}\u0000${entry.shift.sendAt}` : contentHash,
        content: entry.shift ? { ...content, sendAt: entry.shift.sendAt } : content,
        messageId,
        phoneNumber,
      },
      ready,
    );
    for (const body of ready) yield planned(body);
    ready.length = 0;
  }
  for (const body of grouper.finish()) yield planned(body);
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
