import { realpath } from 'node:fs/promises';
import path from 'node:path';

function contains(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

const realOf = (file: string) => realpath(file).catch(() => path.resolve(file));

/**
 * Whether `file`, with every symbolic link resolved, lies in one of `roots` (folders, or files
 * named exactly). A file that does not exist yet is judged by its path as written.
 */
export async function isInsideRoots(file: string, roots: readonly string[]): Promise<boolean> {
  const real = await realOf(file);
  for (const root of roots) {
    if (contains(await realOf(root), real)) return true;
  }
  return false;
}

/** Why an input may not be read: outside every root, or hidden (the hidden segment, e.g. `.git`). */
export type InputRefusal = { reason: 'outside' } | { reason: 'hidden'; segment: string };

/** The first segment starting with '.' of `file` below the deepest of `roots` holding it. */
function hiddenBelow(roots: readonly string[], file: string): string | undefined {
  const deepest = roots
    .filter((root) => contains(root, file))
    .reduce<string | undefined>(
      (a, b) => (a === undefined || b.length > a.length ? b : a),
      undefined,
    );
  if (deepest === undefined) return undefined;
  return path
    .relative(deepest, file)
    .split(path.sep)
    .find((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..');
}

/**
 * Whether an input file may be read, judged before it is opened: it must lie in one of `roots`
 * (symbolic links resolved), and no folder or file of its path below the root holding it may be
 * hidden (start with '.'), whether as named or after links are resolved. A root may itself be
 * hidden: naming a hidden file or folder as a root (allowOutside: or --allow-outside) allows it.
 * A path through a `.git` folder is refused whatever the roots: it holds the checkout's credentials.
 */
export async function refuseInput(
  file: string,
  roots: readonly string[],
): Promise<InputRefusal | undefined> {
  const named = path.resolve(file);
  const real = await realOf(file);
  const realRoots = await Promise.all(roots.map(realOf));
  const namedRoots = roots.map((root) => path.resolve(root));
  const git = [named, real].some((p) => p.split(path.sep).some((s) => s.toLowerCase() === '.git'));
  if (git) return { reason: 'hidden', segment: '.git' };
  if (!realRoots.some((root) => contains(root, real))) return { reason: 'outside' };
  const segment = hiddenBelow(realRoots, real) ?? hiddenBelow(namedRoots, named);
  return segment === undefined ? undefined : { reason: 'hidden', segment };
}

/** The message completing "<what> <file> …" and its hint, for a hidden input. */
export function hiddenInputText(segment: string): { message: string; hint: string } {
  return segment === '.git'
    ? {
        message: 'is under .git/, which waspec never reads',
        hint: "a .git folder holds the checkout's credentials; keep inputs in ordinary files of the repository",
      }
    : {
        message: `is hidden (${segment}); hidden files and folders are not read`,
        hint: `name it in allowOutside: of the config (or --allow-outside PATH) to read it anyway`,
      };
}
