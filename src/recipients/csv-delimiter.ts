/** Column separators a CSV may use: Excel writes ';' in many European locales, some tools tab or '|'. */
export type Delimiter = ',' | ';' | '\t' | '|';

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** How a delimiter is named in messages and written in YAML. */
export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}

/** The delimiter as written in a spec or config: one of DELIMITERS, or `tab`. */
export function delimiterOf(option: string | undefined): Delimiter | undefined {
  if (option === undefined) return undefined;
  return option === 'tab' ? '\t' : (option as Delimiter);
}

/** How often each delimiter occurs in `line` outside double quotes. */
function counts(line: string): Map<Delimiter, number> {
  const found = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && found.has(c as Delimiter))
      found.set(c as Delimiter, (found.get(c as Delimiter) ?? 0) + 1);
  }
  return found;
}

/** The first line of `text` with more than spaces on it (the header of a CSV). */
export function headerLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/, 64)) if (line.trim() !== '') return line;
  return '';
}

/** The delimiter of a header line: the one found most often outside quotes, a comma on a tie. */
export function detectDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let most = 0;
  for (const [d, n] of counts(line)) {
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/** Another delimiter than `chosen` found in a header line, for a hint; undefined when none is. */
export function otherDelimiter(line: string, chosen: Delimiter): Delimiter | undefined {
  const found = counts(line);
  found.delete(chosen);
  const [d, n] = [...found].sort((a, b) => b[1] - a[1])[0] ?? [',', 0];
  return n > 0 ? d : undefined;
}
