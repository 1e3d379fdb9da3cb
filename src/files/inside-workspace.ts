import { realpath } from 'node:fs/promises';
import path from 'node:path';

function contains(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/**
 * Whether `file`, with every symbolic link resolved, lies in one of `roots` (folders, or files
 * named exactly). A file that does not exist yet is judged by its path as written.
 */
export async function isInsideRoots(file: string, roots: readonly string[]): Promise<boolean> {
  const real = await realpath(file).catch(() => path.resolve(file));
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => path.resolve(root));
    if (contains(realRoot, real)) return true;
  }
  return false;
}
