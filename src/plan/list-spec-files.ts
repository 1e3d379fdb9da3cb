import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { workspacePath } from './hash-file.js';

const SPEC_FILE = /\.ya?ml$/i;

/** The *.yaml / *.yml files under the given paths (as loadWorkspace finds them), workspace-relative. */
export async function listSpecFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (info.isFile()) {
      found.push(workspacePath(path));
      continue;
    }
    const names = await readdir(path, { recursive: true });
    for (const name of names) if (SPEC_FILE.test(name)) found.push(workspacePath(join(path, name)));
  }
  return [...new Set(found)].sort();
}
