import type { StateSnapshot, StateStore, StoredContent } from '../state/types.js';
import { isSending, type Plan, type PlanEntry } from './types.js';

/** Earlier contents a plan holds at most (each is at most 16 KiB of text): memory stays bounded. */
export const MAX_PREVIOUS_CONTENTS = 2000;

/**
 * What the plan needs of the kept contents: the earlier content of each drift (to show it as a
 * diff), and which contents to send the state does not keep yet (apply stores those).
 */
export async function lookUpContents(
  entries: readonly PlanEntry[],
  snapshot: Pick<StateSnapshot, 'contents'>,
  store: Pick<StateStore, 'readContents'>,
): Promise<Pick<Plan, 'previousContents' | 'previousContentsOmitted' | 'contentsToStore'>> {
  const earlier = new Set<string>();
  const omitted = new Set<string>();
  const toStore = new Set<string>();
  for (const e of entries) {
    const before = e.previous?.contentHash;
    if (
      e.action === 'drift' &&
      before !== undefined &&
      snapshot.contents.has(before) &&
      !earlier.has(before)
    ) {
      (earlier.size < MAX_PREVIOUS_CONTENTS ? earlier : omitted).add(before);
    }
    if (isSending(e) && !snapshot.contents.has(e.contentHash)) toStore.add(e.contentHash);
  }
  const previous =
    earlier.size > 0 ? await store.readContents(earlier) : new Map<string, StoredContent>();
  return {
    ...(previous.size > 0 ? { previousContents: Object.fromEntries(previous) } : {}),
    ...(omitted.size > 0 ? { previousContentsOmitted: omitted.size } : {}),
    contentsToStore: [...toStore],
  };
}
