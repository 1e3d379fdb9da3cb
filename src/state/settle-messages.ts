import type { JournalRecord, MessageState, SettledAs, StateSnapshot } from './types.js';

/** Which messages to settle: named messageIds, every message of a spec, or of a request (bulkId). */
export interface SettleSelection {
  messageIds?: readonly string[];
  spec?: string;
  bulkId?: string;
}

export interface SettlePlan {
  /** The settle record to append; undefined when nothing selected is in doubt. */
  record?: Extract<JournalRecord, { type: 'settle' }>;
  settled: MessageState[];
  /** Selected but not in doubt: settle never overrides an answer the API gave. */
  skipped: MessageState[];
  /** messageIds named that the state does not know. */
  unknown: string[];
}

/** Chooses the in-doubt messages a settle concerns and builds its journal record. */
export function planSettle(
  snapshot: StateSnapshot,
  selection: SettleSelection,
  as: SettledAs,
  who: { by: string; reason: string; at: string },
): SettlePlan {
  const selected: MessageState[] = [];
  // By messageId: the snapshot builds a new object on each look-up.
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const id of selection.messageIds ?? []) {
    const state = snapshot.messages.get(id);
    if (state) {
      chosen.add(state.messageId);
      selected.push(state);
    } else unknown.push(id);
  }
  if (selection.spec !== undefined || selection.bulkId !== undefined) {
    for (const state of snapshot.messages.values()) {
      if (selection.spec !== undefined && state.spec !== selection.spec) continue;
      if (
        selection.bulkId !== undefined &&
        state.bulkId.toUpperCase() !== selection.bulkId.toUpperCase()
      )
        continue;
      if (chosen.has(state.messageId)) continue;
      chosen.add(state.messageId);
      selected.push(state);
    }
  }
  const settled = selected.filter((m) => m.outcome === 'in-flight');
  const skipped = selected.filter((m) => m.outcome !== 'in-flight');
  const plan: SettlePlan = { settled, skipped, unknown };
  if (settled.length > 0) {
    plan.record = {
      v: 2,
      type: 'settle',
      at: who.at,
      by: who.by,
      reason: who.reason,
      as,
      messageIds: settled.map((m) => m.messageId),
    };
  }
  return plan;
}
