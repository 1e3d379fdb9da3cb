import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const SPEC_FILE = /\.ya?ml$/i;
const NOT_SPECS = new Set(['waspec.config.yaml', 'waspec.config.yml']);
const SKIPPED_DIRS = /(^|[/\\])(node_modules|\.git|\.waspec)([/\\]|$)/;

export interface FoundSpecFiles {
  /** Spec files as the user would name them (joined onto the given path), sorted. */
  files: string[];
  /** Given paths that do not exist. */
  missing: string[];
}

/** A file means itself; a folder means every *.yaml / *.yml below it (config files excepted). */
export async function findSpecFiles(paths: readonly string[]): Promise<FoundSpecFiles> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) {
      missing.push(given);
    } else if (info.isFile()) {
      files.add(path.normalize(given));
    } else if (info.isDirectory()) {
      const names = await readdir(given, { recursive: true });
      for (const name of names) {
        if (SPEC_FILE.test(name) && !NOT_SPECS.has(path.basename(name)) && !SKIPPED_DIRS.test(name)) {
          files.add(path.normalize(path.join(given, name)));
        }
      }
    }
  }
  return { files: [...files].sort(), missing };
}
