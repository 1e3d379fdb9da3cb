import { MessageTable, type MessageTableOptions } from './message-table.js';
import {
  canaryKey,
  type BreakerTrip,
  type CanarySent,
  type JournalRecord,
  type StateSnapshot,
} from './types.js';

/** What folding builds: the messages, and the hashes of the contents kept (each hash string once). */
export interface FoldedState {
  messages: MessageTable;
  contents: Map<string, string>;
  /** The last breaker trip, cleared by the next in-flight record (an apply that sent again). */
  breaker?: BreakerTrip;
  /** The canaries sent, by canaryKey. */
  canaries?: Map<string, CanarySent>;
}

/** An empty fold; `pages` says where its messages' pages go past those kept in memory. */
export function emptyFold(pages: MessageTableOptions = {}): FoldedState {
  return { messages: new MessageTable(pages), contents: new Map() };
}

/** The snapshot's view of a fold (its content hashes as a set sharing the messages' strings). */
export function foldedSnapshot(
  folded: FoldedState,
): Pick<StateSnapshot, 'messages' | 'contents' | 'breaker' | 'canaries'> {
  return {
    messages: folded.messages.seal(),
    contents: new Set(folded.contents.keys()),
    ...(folded.breaker ? { breaker: folded.breaker } : {}),
    ...(folded.canaries ? { canaries: folded.canaries } : {}),
  };
}

/**
 * Folds one record into the state: an in-flight record (re)opens each message,
 * an outcome record closes it; the last outcome wins and sentAt stays the first in-flight time.
 * A content record only notes that the state keeps that content.
 */
export function foldRecord(folded: FoldedState, record: JournalRecord): void {
  const { messages, contents } = folded;
  if (record.type === 'content' || record.type === 'message') {
    if (!contents.has(record.hash)) contents.set(record.hash, record.hash);
    return;
  }
  if (record.type === 'canary') {
    const { v: _v, type: _type, ...sent } = record;
    (folded.canaries ??= new Map()).set(canaryKey(sent.spec, sent.revision), sent);
    return;
  }
  if (record.type === 'breaker') {
    const { v: _v, type: _type, ...trip } = record;
    folded.breaker = trip;
    return;
  }
  if (record.type === 'in-flight') {
    delete folded.breaker;
    messages.open(record);
    return;
  }
  if (record.type === 'settle') messages.settle(record);
  else messages.close(record);
}
