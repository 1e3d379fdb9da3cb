import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import path from 'node:path';
import { registerInputFile } from '../files/input-files.js';
import { hiddenInputText, refuseInput } from '../files/inside-workspace.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readAtMost } from '../files/read-at-most.js';

export const MAX_SPEC_BYTES = 1024 * 1024;

/** Reads a spec file, refusing one over the limit before reading it whole, and anything but a regular file. */
export async function readSpecFile(
  absolutePath: string,
  file: string,
): Promise<{ bytes?: Buffer; diagnostic?: Diagnostic }> {
  // A spec may lie anywhere it is named, but not be (or link to) a hidden file or one under .git/.
  const refusal = await refuseInput(absolutePath, [process.cwd(), path.dirname(absolutePath)]);
  if (refusal?.reason === 'hidden') {
    const text = hiddenInputText(refusal.segment);
    return {
      diagnostic: makeDiagnostic(
        'file-hidden',
        `${file} ${text.message}`,
        { file },
        { hint: text.hint },
      ),
    };
  }
  const opened = await openRegularFile(absolutePath);
  if ('refusal' in opened) {
    const special = opened.refusal.reason === 'not-a-file';
    return {
      diagnostic: makeDiagnostic(
        special ? 'file-not-regular' : 'file-not-found',
        `${file} ${opened.refusal.message}`,
        { file },
        special ? { hint: 'a spec is a regular YAML file' } : {},
      ),
    };
  }
  const { handle, size } = opened;
  try {
    if (size > MAX_SPEC_BYTES) {
      return {
        diagnostic: makeDiagnostic(
          'file-too-large',
          `${file} is ${(size / 1024 / 1024).toFixed(1)} MiB; specs may be at most 1 MiB`,
          { file, line: 0, column: 0 },
          { hint: 'put recipients in a CSV or NDJSON file referenced with `file:`' },
        ),
      };
    }
    registerInputFile(absolutePath);
    const bytes = await readAtMost(handle, MAX_SPEC_BYTES);
    if (bytes.length > MAX_SPEC_BYTES)
      return {
        diagnostic: makeDiagnostic(
          'file-too-large',
          `${file} is over 1 MiB; specs may be at most 1 MiB`,
          { file, line: 0, column: 0 },
        ),
      };
    return { bytes };
  } finally {
    await handle.close();
  }
}
