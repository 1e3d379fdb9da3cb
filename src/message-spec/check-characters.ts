import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findInvisible } from '../diagnostics/invisible-characters.js';
import type { SourcePosition, SpecPath } from './types.js';

/**
 * The diagnostic for a text holding control or invisible characters: an error for ESC and bidi
 * controls (they hide or reorder what a reviewer reads) unless the spec allows them, else a warning.
 */
export function controlCharacterDiagnostic(
  text: string,
  what: string,
  where: SourcePosition,
  allowed: boolean,
): Diagnostic | undefined {
  const { found, deceptive } = findInvisible(text);
  if (found.length === 0) return undefined;
  const error = deceptive && !allowed;
  return makeDiagnostic(
    'control-character',
    `${what} contains invisible or control characters: ${found.join(' ')}`,
    where,
    {
      severity: error ? 'error' : 'warning',
      hint: error
        ? 'ESC and bidi controls change what a reviewer sees; remove them, or set allowControlCharacters: true in the spec if they are meant'
        : 'they are sent as they are but shown escaped in plans; remove them unless they are meant',
    },
  );
}

/** Every string of the spec (whatsApp, vars, inline recipients, sendAt...) checked for control characters. */
export function checkSpecCharacters(
  data: unknown,
  locate: (path: SpecPath) => SourcePosition,
): Diagnostic[] {
  const allowed =
    typeof data === 'object' &&
    data !== null &&
    'allowControlCharacters' in data &&
    data.allowControlCharacters === true;
  const out: Diagnostic[] = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      const d = controlCharacterDiagnostic(
        value,
        path.join('.') || 'the spec',
        locate(path),
        allowed,
      );
      if (d) out.push(d);
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(data, []);
  return out;
}

/**
 * Whether any string inside a value passes `test`: stringsOf(value).some(test) without the array
 * (compile asks it of every distinct message).
 */
export function someString(value: unknown, test: (text: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) {
    for (const v of value) if (someString(v, test)) return true;
  } else if (value !== null && typeof value === 'object') {
    for (const key in value)
      if (Object.hasOwn(value, key) && someString((value as Record<string, unknown>)[key], test))
        return true;
  }
  return false;
}

/** Every string inside a value, depth first. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}
