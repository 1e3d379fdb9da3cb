import type { StateStore } from './types.js';

/** The local state: an append-only journal and a lock file in `dir` (default .waspec/). */
export function openFileStateStore(dir: string): StateStore {
  throw new Error(`openFileStateStore is not built yet (${dir})`);
}
