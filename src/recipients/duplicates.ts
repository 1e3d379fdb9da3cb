import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourcePosition, Vars } from '../message-spec/types.js';

/** Lines are below 2^32; the recipients entry (inline or file) is the rest of the tag. */
const LINE_SPAN = 2 ** 32;

/** Where a row was listed, as one number: the recipients entry and the line (spec lines are -1). */
export function whereTag(entry: number, line: number): number {
  return entry * LINE_SPAN + (line + 1);
}

/** The 0-based line of a where tag. */
export function lineOf(tag: number): number {
  return (tag % LINE_SPAN) - 1;
}

/** The recipients entry of a where tag. */
export function entryOf(tag: number): number {
  return Math.floor(tag / LINE_SPAN);
}

/** Strings at least this long are hashed once and then stand in the row's text by their hash. */
const LONG = 64;
/** Hashes of long strings remembered (a workbook's shared strings repeat the very same string). */
const LONG_HASHES = 4096;
const longHashes = new Map<string, string>();

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * A long string by its hash, computed once per string: rows that all point at one shared string
 * cost a map look-up each, not a pass over its text (V8 keeps a string's own hash with it).
 */
function stringKey(text: string): string {
  if (text.length < LONG) return JSON.stringify(text);
  let key = longHashes.get(text);
  if (key === undefined) {
    if (longHashes.size >= LONG_HASHES) longHashes.clear();
    key = `#${text.length}:${fnv(text).toString(36)}`;
    longHashes.set(text, key);
  }
  return key;
}

function canonical(value: unknown): string {
  if (typeof value === 'string') return stringKey(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${stringKey(k)}:${canonical(record[k])}`)
    .join(',')}}`;
}

/** A 32-bit hash (FNV-1a) of a row's vars, key order aside: tells whether two rows of one number differ. */
export function varsHash(vars: Vars): number {
  return fnv(canonical(vars));
}

const shown = (p: SourcePosition) => `${p.file}:${p.line + 1}`;

/**
 * A number listed again: a warning naming the row that is kept when the vars are the same; an
 * error when they differ (which message the person gets would depend on the order of the rows).
 * `firstAt` gives the position of the first listing from its entry and line.
 */
export function duplicateDiagnostic(
  phoneNumber: string,
  spec: string,
  first: { where: number; hash: number },
  again: { origin: SourcePosition; hash: number },
  firstAt: (entry: number, line: number) => SourcePosition,
): Diagnostic {
  const kept = shown(firstAt(entryOf(first.where), lineOf(first.where)));
  if (again.hash === first.hash) {
    return makeDiagnostic(
      'phone-duplicate',
      `${phoneNumber} is listed more than once in ${spec} with the same vars; ${kept} is kept and it is sent once`,
      again.origin,
      {
        severity: 'warning',
        hint: 'remove the repeated row',
      },
    );
  }
  return makeDiagnostic(
    'phone-duplicate-conflict',
    `${phoneNumber} is listed more than once in ${spec} and the vars differ from those of ${kept}, which is kept: this row's message would be dropped`,
    again.origin,
    {
      hint: 'keep one row per number: the message must not depend on which row comes first',
    },
  );
}
