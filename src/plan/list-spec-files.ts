import { findSpecFiles } from '../message-spec/find-spec-files.js';
import { workspacePath } from './hash-file.js';

/** The spec files under the given paths (as loadWorkspace finds them), workspace-relative. */
export async function listSpecFiles(paths: readonly string[]): Promise<string[]> {
  const { files } = await findSpecFiles(paths);
  return [...new Set(files.map((f) => workspacePath(f)))].sort();
}
