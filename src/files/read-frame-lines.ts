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
  const found = scanLines(file, last, (line) => line >= first);
  if (!found || found.lines <= first) return undefined;
  const out: Array<string | undefined> = [];
  for (let line = first; line <= Math.min(last, found.lines - 1); line++)
    out.push(found.text.get(line));
  return out;
}

/**
 * A reader of frame lines for one run of printing: each file is read once, for every line its
 * diagnostics show (their line and the lines around it), not once per diagnostic.
 */
export function createFrameReader(
  wanted: Iterable<{ file?: string; line?: number }>,
): (file: string, first: number, last: number) => Array<string | undefined> | undefined {
  const lines = new Map<string, Set<number>>();
  for (const { file, line } of wanted) {
    if (file === undefined || line === undefined) continue;
    let set = lines.get(file);
    if (!set) lines.set(file, (set = new Set()));
    for (let l = Math.max(0, line - 1); l <= line + 1; l++) set.add(l);
  }
  const read = new Map<string, ReturnType<typeof scanLines>>();
  return (file, first, last) => {
    if (!read.has(file)) {
      const set = lines.get(file);
      read.set(file, set ? scanLines(file, Math.max(...set), (l) => set.has(l)) : undefined);
    }
    const found = read.get(file);
    if (!found || found.lines <= first) return undefined;
    const out: Array<string | undefined> = [];
    for (let line = first; line <= Math.min(last, found.lines - 1); line++)
      out.push(found.text.get(line));
    return out;
  };
}

/**
 * Reads a named input file from the start up to line `last` (at most FRAME_SCAN_BYTES) and keeps
 * the lines `keep` asks for, cut and secret-hidden; `lines` is how many lines were reached.
 */
function scanLines(
  file: string,
  last: number,
  keep: (line: number) => boolean,
): { text: Map<number, string>; lines: number } | undefined {
  if (!isInputFile(file)) return undefined;
  const chars = lineCharsOf(file) ?? FRAME_LINE_CHARS;
  const fd = openRegularFileSync(file);
  if (fd === undefined) return undefined;
  try {
    const text = new Map<number, string>();
    const buffer = Buffer.alloc(CHUNK);
    let pieces: Buffer[] = [];
    let line = 0;
    let scanned = 0;
    const finish = () => {
      if (keep(line)) {
        const whole = Buffer.concat(pieces).toString('utf8').replace(/\r$/, '');
        const shown = whole.length > chars ? `${whole.slice(0, chars - 1)}…` : whole;
        text.set(line, looksSecret(whole) ? '(not shown: looks like a secret)' : shown);
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
        if (keep(line))
          pieces.push(
            Buffer.from(buffer.subarray(start, Math.min(nl, start + FRAME_LINE_CHARS * 4))),
          );
        finish();
        start = nl + 1;
      }
      if (line <= last && keep(line)) {
        const held = pieces.reduce((sum, p) => sum + p.length, 0);
        if (held < FRAME_LINE_CHARS * 4)
          pieces.push(
            Buffer.from(buffer.subarray(start, Math.min(n, start + FRAME_LINE_CHARS * 4 - held))),
          );
      }
    }
    return { text, lines: line };
  } finally {
    closeSync(fd);
  }
}
