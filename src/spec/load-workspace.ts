import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from './types.js';

export interface Workspace {
  /** Loaded specs in a stable order (by file path). */
  docs: SpecDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Finds spec files (a folder means every *.yaml / *.yml in it, recursively; default `specs/`),
 * loads each, and checks workspace rules such as unique spec names.
 */
export async function loadWorkspace(paths: readonly string[]): Promise<Workspace> {
  throw new Error(`loadWorkspace is not built yet (${paths.join(', ')})`);
}
