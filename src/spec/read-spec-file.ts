import { open } from 'node:fs/promises';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const MAX_SPEC_BYTES = 1024 * 1024;

/** Reads a spec file, refusing one over the limit before reading it whole. */
export async function readSpecFile(
  absolutePath: string,
  file: string,
): Promise<{ bytes?: Buffer; diagnostic?: Diagnostic }> {
  let handle;
  try {
    handle = await open(absolutePath, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    return { diagnostic: makeDiagnostic('file-not-found', `${file} ${reason}`, { file }) };
  }
  try {
    const { size } = await handle.stat();
    if (!(await handle.stat()).isFile()) {
      return { diagnostic: makeDiagnostic('file-not-found', `${file} is not a file`, { file }) };
    }
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
    return { bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
