import { closeSync, readSync } from 'node:fs';
import { isInputFile, lineCharsOf } from './input-files.js';
import { openRegularFileSync } from './open-regular-file.js';

/** Bytes read at most to reach the lines of a frame; a diagnostic further down gets no frame. */
export const FRAME_SCAN_BYTES = 4 * 1024 * 1024;
/** Characters shown of one line. */
export const FRAME_LINE_CHARS = 200;

const CHUNK = 1 << 16;
const SECRET_WORD =
  /(?:secret|token|passw(?:or)?d|api[-_]?key|credential|private[-_]?key)["']?\s*[:=]|(?:bearer|basic)\s+\S/i;
const SECRET_BLOB =
  /(?=[A-Za-z0-9+/_=-]{32,})(?=[^\s]*[0-9])(?=[^\s]*[A-Za-z])[A-Za-z0-9+/_=-]{32,}/;

/** Whether a line of a file looks like it holds a secret (and must not be shown). */
export function looksSecret(text: string): boolean {
  return SECRET_WORD.test(text) || SECRET_BLOB.test(text);
}

/**
 * Lines `first`..`last` (0-based) of a spec or recipient file the user named, each cut to
 * FRAME_LINE_CHARS and hidden when it looks like a secret. Reads from the start only as far as
 * `last`, at most FRAME_SCAN_BYTES; undefined when the file is not such a file or too far down.
 */
export function readFrameLines(
  file: string,
  first: number,
  last: number,
): Array<string | undefined> | undefined {
  if (!isInputFile(file)) return undefined;
  const keep = lineCharsOf(file) ?? FRAME_LINE_CHARS;
  const fd = openRegularFileSync(file);
  if (fd === undefined) return undefined;
  try {
    const out: Array<string | undefined> = [];
    const buffer = Buffer.alloc(CHUNK);
    let pieces: Buffer[] = [];
    let line = 0;
    let scanned = 0;
    const finish = () => {
      if (line >= first) {
        const whole = Buffer.concat(pieces).toString('utf8').replace(/\r$/, '');
        const text = whole.length > keep ? `${whole.slice(0, keep - 1)}…` : whole;
        out.push(looksSecret(whole) ? '(not shown: looks like a secret)' : text);
      }
      pieces = [];
      line++;
    };
    while (line <= last && scanned < FRAME_SCAN_BYTES) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) {
        finish();
        break;
      }
      scanned += n;
      let start = 0;
      for (
        let nl = buffer.indexOf(0x0a, start);
        nl !== -1 && nl < n && line <= last;
        nl = buffer.indexOf(0x0a, start)
      ) {
        if (line >= first)
          pieces.push(
            Buffer.from(buffer.subarray(start, Math.min(nl, start + FRAME_LINE_CHARS * 4))),
          );
        finish();
        start = nl + 1;
      }
      if (line >= first && line <= last) {
        const held = pieces.reduce((sum, p) => sum + p.length, 0);
        if (held < FRAME_LINE_CHARS * 4)
          pieces.push(
            Buffer.from(buffer.subarray(start, Math.min(n, start + FRAME_LINE_CHARS * 4 - held))),
          );
      }
    }
    return line > first ? out : undefined;
  } finally {
    closeSync(fd);
  }
}
