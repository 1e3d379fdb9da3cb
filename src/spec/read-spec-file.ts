import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { registerInputFile } from '../files/input-files.js';
import { openRegularFile } from '../files/open-regular-file.js';

export const MAX_SPEC_BYTES = 1024 * 1024;

/** Reads a spec file, refusing one over the limit before reading it whole, and anything but a regular file. */
export async function readSpecFile(
  absolutePath: string,
  file: string,
): Promise<{ bytes?: Buffer; diagnostic?: Diagnostic }> {
  const opened = await openRegularFile(absolutePath);
  if ('refusal' in opened) {
    const special = opened.refusal.reason === 'not-a-file';
    return { diagnostic: makeDiagnostic(special ? 'file-not-regular' : 'file-not-found', `${file} ${opened.refusal.message}`, { file }, special ? { hint: 'a spec is a regular YAML file' } : {}) };
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
    // Read at most one byte past the limit: a file that grew after the check is not read whole.
    const bytes = Buffer.alloc(MAX_SPEC_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null);
      if (bytesRead === 0 || length + bytesRead >= bytes.length) {
        length += bytesRead;
        break;
      }
      length += bytesRead;
    }
    if (length > MAX_SPEC_BYTES) return { diagnostic: makeDiagnostic('file-too-large', `${file} is over 1 MiB; specs may be at most 1 MiB`, { file, line: 0, column: 0 }) };
    return { bytes: bytes.subarray(0, length) };
  } finally {
    await handle.close();
  }
}
