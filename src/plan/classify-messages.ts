import type { CompiledMessage } from '../compile/types.js';
import type { MessageContent } from '../api/types.js';
import type { MessageState, MessageStates, StateSnapshot } from '../state/types.js';
import { contentsRecord, createContentStore, type ContentStoreOptions } from './content-store.js';
import { EntryTable, previousOf } from './entry-table.js';
import type { PagerOptions } from '../state/pager.js';
import type { PlanEntry, StateAction } from './types.js';
import { VarsTable } from './vars-table.js';

export interface ClassifyOptions {
  retryRejected?: boolean;
  resendInDoubt?: boolean;
  /** Specs whose orphans are reported; undefined means every spec in the state. */
  scope?: ReadonlySet<string>;
  /** Current revision per spec: state messages of earlier revisions are history, not orphans. */
  revisions?: ReadonlyMap<string, number>;
  /** Where contents past the first ones spill (a personalised message has one per recipient). */
  contents?: ContentStoreOptions;
  /** Where the entries' and variables' full pages spill, and how many stay in memory. */
  pages?: PagerOptions;
}

export interface Classified {
  /** In compile order, seeds' test messages first, then the orphans. */
  entries: EntryTable;
  contents: Record<string, MessageContent>;
  /** The entries' variable values: each entry's `vars` is its row. */
  variables: VarsTable;
}

type MessageLike = Pick<
  CompiledMessage,
  'messageId' | 'spec' | 'revision' | 'phoneNumber' | 'contentHash' | 'content' | 'vars' | 'seed'
>;

/** The action for one compiled message given what the state knows of it. */
export function classifyMessage(
  previous: MessageState | undefined,
  contentHash: string,
  options: ClassifyOptions,
): StateAction {
  if (!previous) return 'send';
  switch (previous.outcome) {
    case 'accepted':
      return previous.contentHash === contentHash ? 'unchanged' : 'drift';
    case 'failed':
      return 'retry';
    case 'rejected':
      return options.retryRejected ? 'send' : 'rejected';
    case 'in-flight':
      return options.resendInDoubt ? 'send' : 'in-doubt';
  }
}

/** Sorts compiled messages into plan entries (input order kept), then appends the orphans. */
export async function classifyMessages(
  messages: AsyncIterable<MessageLike> | Iterable<MessageLike>,
  snapshot: Pick<StateSnapshot, 'messages'>,
  options: ClassifyOptions = {},
): Promise<Classified> {
  const entries = new EntryTable(snapshot.messages, options.pages);
  // The contents find their hashes by the entries' numbers of them: one look-up, not two.
  const store = createContentStore({ ...options.contents, numbers: entries.contentNumbers });
  const variables = new VarsTable(options.pages);
  // The state's messages the plan has, by place: the orphans are the others (no look-up of the
  // plan's messageIds, some 13 bytes a message). Without places (a Map), the entries look them up.
  const places = placesOf(snapshot.messages);
  const planned = places && new Uint8Array(Math.ceil(snapshot.messages.size / 8));
  // Compile gives each message its own messageId (one per spec and number); one already planned
  // is not planned again.
  for await (const m of messages) {
    let state: MessageState | undefined;
    if (places && planned) {
      const place = places.indexOf(m.messageId);
      if (place >= 0) {
        if ((planned[place >>> 3] as number) & (1 << (place & 7))) continue;
        planned[place >>> 3] = (planned[place >>> 3] as number) | (1 << (place & 7));
        state = places.at(place);
      }
    } else state = snapshot.messages.get(m.messageId);
    store.add(m.contentHash, m.content);
    const action = state ? classifyMessage(state, m.contentHash, options) : 'send';
    // The values in the table, not an object per entry (a fifth of the plan's memory otherwise).
    const vars =
      m.vars !== undefined && Object.keys(m.vars).length > 0 ? variables.add(m.vars) : undefined;
    entries.append(
      action,
      m.messageId,
      m.spec,
      m.revision,
      m.phoneNumber,
      m.contentHash,
      vars,
      state !== undefined,
      m.seed === true,
    );
  }
  const orphans =
    places && planned
      ? orphansOf(unplanned(places, snapshot.messages.size, planned), options)
      : findOrphans(snapshot, entries, options);
  for (const orphan of orphans) entries.push(orphan);
  entries.seal();
  // Seeds' test messages before every other entry (each group in its order): what apply sends first.
  entries.moveSeedsFirst();
  return { entries, contents: contentsRecord(store), variables };
}

type Places = Required<Pick<MessageStates, 'indexOf' | 'at'>>;

function placesOf(messages: MessageStates): Places | undefined {
  return messages.indexOf && messages.at ? (messages as Places) : undefined;
}

/** The state's messages not planned, in their order (a planned one is not even read). */
function* unplanned(places: Places, size: number, planned: Uint8Array): Generator<MessageState> {
  for (let place = 0; place < size; place++)
    if (!((planned[place >>> 3] as number) & (1 << (place & 7)))) yield places.at(place);
}

/** Whether a state message nothing compiled is an orphan of this plan (its spec in scope). */
function orphanCandidate(state: MessageState, options: ClassifyOptions): boolean {
  // A seed's test message of an earlier content is history: the seed got the text of its day.
  if (state.test) return false;
  if (options.scope && !options.scope.has(state.spec)) return false;
  const current = options.revisions?.get(state.spec);
  return current === undefined || state.revision >= current;
}

/** State messages of in-scope specs that nothing compiled any more (found by the entries' look-up). */
function findOrphans(
  snapshot: Pick<StateSnapshot, 'messages'>,
  seen: Pick<EntryTable, 'absent'>,
  options: ClassifyOptions,
): PlanEntry[] {
  function* candidates(): Generator<MessageState> {
    for (const state of snapshot.messages.values())
      if (orphanCandidate(state, options)) yield state;
  }
  // The table confirms the ids it may have in its order, not the state's: found in any order.
  const found: Array<[number, MessageState]> = [
    ...seen.absent(candidates, (state) => state.messageId),
  ];
  found.sort((a, b) => a[0] - b[0]);
  return orphansOf(
    found.map(([, state]) => state),
    options,
  );
}

/** The orphans' entries of state messages nothing compiled, by spec then phone number. */
function orphansOf(states: Iterable<MessageState>, options: ClassifyOptions): PlanEntry[] {
  const orphans: PlanEntry[] = [];
  for (const state of states) {
    if (!orphanCandidate(state, options)) continue;
    orphans.push({
      action: 'orphan',
      messageId: state.messageId,
      spec: state.spec,
      revision: state.revision,
      // The state keeps no full number: an orphan is named by its masked one.
      phoneNumber: state.maskedPhoneNumber,
      previous: previousOf(state),
    });
  }
  return orphans.sort((a, b) => compare(a.spec, b.spec) || compare(a.phoneNumber, b.phoneNumber));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
