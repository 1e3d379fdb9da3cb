import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const SPEC_FILE = /\.ya?ml$/i;
const NOT_SPECS = new Set(['waspec.config.yaml', 'waspec.config.yml']);

export interface FoundSpecFiles {
  /** Spec files as the user would name them (joined onto the given path), sorted. */
  files: string[];
  /** Given paths that do not exist. */
  missing: string[];
  /** Given paths that are files rather than folders. */
  named: string[];
}

/**
 * A file means itself; a folder means every *.yaml / *.yml directly in it (config files excepted),
 * not in subfolders: like Terraform's *.tf, so recipients/ or ci/ folders beside specs are left alone.
 */
export async function findSpecFiles(paths: readonly string[]): Promise<FoundSpecFiles> {
  const files = new Set<string>();
  const missing: string[] = [];
  const named: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) {
      missing.push(given);
    } else if (!info.isDirectory()) {
      // A FIFO or device given by name is loaded, and refused there with a diagnostic.
      files.add(path.normalize(given));
      named.push(given);
    } else {
      const names = await readdir(given);
      for (const name of names) {
        // Hidden files (.x.yaml) are not specs, as .github/ or .git/ are not spec folders.
        if (SPEC_FILE.test(name) && !NOT_SPECS.has(path.basename(name)) && !name.startsWith('.')) {
          files.add(path.normalize(path.join(given, name)));
        }
      }
    }
  }
  return { files: [...files].sort(), missing, named };
}
