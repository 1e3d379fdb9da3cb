import { openFileStateStore } from './file-state.js';
import { openPgStateStore } from './pg-state.js';
import type { StateTarget } from './state-target.js';
import type { SharedApplyStore, StateBackend } from './types.js';

type PostgresTarget = Extract<StateTarget, { kind: 'postgres' }>;
type FileTarget = Extract<StateTarget, { kind: 'file' }>;

export type FileStateBackend = StateBackend & { readonly backend: 'file' };
export type PgStateBackend = StateBackend & SharedApplyStore & { readonly backend: 'postgres' };
/** An open state, saying which backend it is: only PostgreSQL shares an apply among workers. */
export type OpenedState = FileStateBackend | PgStateBackend;

/** The store for a target: a directory or a PostgreSQL workspace (close it when done). */
export function openStateStore(target: PostgresTarget): PgStateBackend;
export function openStateStore(target: FileTarget): FileStateBackend;
export function openStateStore(target: StateTarget): OpenedState;
export function openStateStore(target: StateTarget): OpenedState {
  return target.kind === 'file'
    ? Object.assign(openFileStateStore(target.dir), { backend: 'file' as const })
    : Object.assign(openPgStateStore(target), { backend: 'postgres' as const });
}
