/** `{{…}}` in an approved template's text. WhatsApp numbers its parameters: {{1}}, {{2}}, … */
const TOKEN = /\{\{([^{}]*)\}\}/g;

export interface Placeholders {
  /** The numbers used, in order of appearance (repeats kept). */
  numbers: number[];
  /** Tokens that are not a number, as written (e.g. `{{name}}`). */
  other: string[];
}

export function placeholdersOf(text: string): Placeholders {
  const numbers: number[] = [];
  const other: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const inner = (match[1] ?? '').trim();
    if (/^\d{1,3}$/.test(inner)) numbers.push(Number(inner));
    else other.push(match[0]);
  }
  return { numbers, other };
}

/** How many parameters a text takes: its highest {{n}}. */
export function parameterCount(text: string | undefined): number {
  return text === undefined ? 0 : Math.max(0, ...placeholdersOf(text).numbers);
}

/** The text with {{n}} replaced by values[n - 1]; a parameter without a value stays as written. */
export function fillPlaceholders(text: string, values: readonly string[]): string {
  return text.replace(TOKEN, (token, inner: string) => {
    const n = /^\s*\d{1,3}\s*$/.test(inner) ? Number(inner) : 0;
    return n >= 1 && n <= values.length ? (values[n - 1] ?? token) : token;
  });
}
