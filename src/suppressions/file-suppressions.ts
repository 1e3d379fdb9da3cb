import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readSuppressionFile, type SourceLocation } from './read-suppression-file.js';
import type { Suppression, SuppressionList, SuppressionSource } from './types.js';

export interface FileSourceOptions {
  /** Where the files may lie (see SuppressionFileOptions); undefined: anywhere. */
  roots?: readonly string[];
  /** Where the config names each file, by absolute path. */
  sites?: Readonly<Record<string, SourceLocation>>;
  /** The country of national numbers (the config's `recipients.defaultCountry`). */
  defaultCountry?: string;
}

/** The suppression files named by the config (`suppressions:`). */
export function fileSuppressionSource(
  files: readonly string[],
  options: FileSourceOptions = {},
): SuppressionSource {
  return {
    location: files.join(', '),
    files,
    async read(): Promise<SuppressionList> {
      const numbers = new Map<string, Suppression>();
      const diagnostics: Diagnostic[] = [];
      for (const file of files) {
        const where = options.sites?.[file];
        await readSuppressionFile(file, numbers, (d) => diagnostics.push(d), {
          ...(options.roots ? { roots: options.roots } : {}),
          ...(where ? { where } : {}),
          ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
        });
      }
      return { numbers, diagnostics };
    },
  };
}

export interface SuppressionDigest {
  location: string;
  sha256: string;
}

/**
 * Every source's numbers in one list (the first source that lists a number gives its reason),
 * with the digests of the sources that are not files.
 */
export async function readSuppressions(
  sources: readonly SuppressionSource[],
): Promise<SuppressionList & { digests: SuppressionDigest[] }> {
  const numbers = new Map<string, Suppression>();
  const diagnostics: Diagnostic[] = [];
  const digests: SuppressionDigest[] = [];
  for (const source of sources) {
    const list = await source.read();
    diagnostics.push(...list.diagnostics);
    if (list.digest !== undefined) digests.push({ location: source.location, sha256: list.digest });
    for (const [number, why] of list.numbers) if (!numbers.has(number)) numbers.set(number, why);
  }
  return { numbers, diagnostics, digests };
}
