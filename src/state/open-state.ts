import { openFileStateStore } from './file-state.js';
import { openPgStateStore } from './pg-state.js';
import type { StateTarget } from './state-target.js';
import type { StateBackend } from './types.js';

/** The store for a target: a directory or a PostgreSQL workspace. */
export function openStateStore(target: StateTarget): StateBackend {
  return target.kind === 'file' ? openFileStateStore(target.dir) : openPgStateStore(target);
}
