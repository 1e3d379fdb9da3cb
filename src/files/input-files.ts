import path from 'node:path';

/** Characters of a line of a data file (recipients) a code frame shows: a part, never a whole line. */
export const DATA_LINE_CHARS = 40;

// The spec, catalogue and recipient files this process opened because a user named them: the
// only files whose lines a code frame may show, each with how much of a line it may show.
const named = new Map<string, number | undefined>();

/** `data`: a recipient file, whose lines a frame shows only the start of. */
export function registerInputFile(file: string, kind: 'text' | 'data' = 'text'): void {
  named.set(path.resolve(file), kind === 'data' ? DATA_LINE_CHARS : undefined);
}

export function isInputFile(file: string): boolean {
  return named.has(path.resolve(file));
}

/** Characters of one line a frame may show of an input file (undefined: the frame's own limit). */
export function lineCharsOf(file: string): number | undefined {
  return named.get(path.resolve(file));
}
