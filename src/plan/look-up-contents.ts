import type { EntryList } from './entry-list.js';
import type { StateSnapshot, StateStore, StoredContent } from '../state/types.js';
import { isSending, type Plan, type PlanSpecInfo } from './types.js';

/** Earlier contents a plan holds at most (each is at most 16 KiB of text): memory stays bounded. */
export const MAX_PREVIOUS_CONTENTS = 2000;

/**
 * What the plan needs of the kept contents: the earlier message as written of each drift (or, for a
 * message sent by an older waspec, its earlier content) to show it as a diff, and which specs'
 * messages as written the state does not keep yet (apply stores those).
 */
export async function lookUpContents(
  entries: EntryList,
  snapshot: Pick<StateSnapshot, 'contents'>,
  store: Pick<StateStore, 'readContents'>,
  specs: ReadonlyArray<Pick<PlanSpecInfo, 'name' | 'writtenHash'>> = [],
): Promise<Pick<Plan, 'previousContents' | 'previousContentsOmitted' | 'contentsToStore'>> {
  const earlier = new Set<string>();
  const omitted = new Set<string>();
  const toStore = new Set<string>();
  const written = new Map(specs.map((s) => [s.name, s.writtenHash]));
  for (const e of entries) {
    // A message sent since the state keeps messages as written is shown against that.
    const before = e.previous?.writtenHash ?? e.previous?.contentHash;
    if (
      e.action === 'drift' &&
      before !== undefined &&
      snapshot.contents.has(before) &&
      !earlier.has(before)
    ) {
      (earlier.size < MAX_PREVIOUS_CONTENTS ? earlier : omitted).add(before);
    }
    const writtenHash = written.get(e.spec);
    if (isSending(e) && writtenHash !== undefined && !snapshot.contents.has(writtenHash))
      toStore.add(writtenHash);
  }
  const previous =
    earlier.size > 0 ? await store.readContents(earlier) : new Map<string, StoredContent>();
  return {
    ...(previous.size > 0 ? { previousContents: Object.fromEntries(previous) } : {}),
    ...(omitted.size > 0 ? { previousContentsOmitted: omitted.size } : {}),
    contentsToStore: [...toStore],
  };
}
