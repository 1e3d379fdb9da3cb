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
const longHashes = new Map<string, number>();

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(text: string, hash = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** Spreads the bits of a hash (murmur3's finaliser), so that sums of hashes do not cancel out. */
function mix(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * A string folded into `hash`. A long one is hashed once per string: rows that all point at one
 * shared string cost a map look-up each, not a pass over its text (V8 keeps a string's own hash
 * with it).
 */
function stringHash(text: string, hash: number): number {
  if (text.length < LONG) return fnv(text, Math.imul(hash ^ 0x73, FNV_PRIME));
  let own = longHashes.get(text);
  if (own === undefined) {
    if (longHashes.size >= LONG_HASHES) longHashes.clear();
    own = fnv(text);
    longHashes.set(text, own);
  }
  return fnv(`#${text.length}:${own}`, hash);
}

/** `value` folded into `hash`: strings by their text, a mapping by its entries whatever their order. */
function valueHash(value: unknown, hash: number): number {
  if (typeof value === 'string') return stringHash(value, hash);
  if (value === null || typeof value !== 'object')
    return fnv(JSON.stringify(value) ?? 'undefined', Math.imul(hash ^ 0x76, FNV_PRIME));
  if (Array.isArray(value)) {
    hash = Math.imul(hash ^ 0x5b, FNV_PRIME);
    for (const item of value) hash = Math.imul(valueHash(item, hash) ^ 0x2c, FNV_PRIME);
    return hash >>> 0;
  }
  // Order aside: the sum of each entry's hash (key and value), mixed.
  let sum = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const entry = valueHash((value as Record<string, unknown>)[key], stringHash(key, FNV_OFFSET));
    sum = (sum + mix(entry)) | 0;
  }
  return fnv('}', Math.imul(hash ^ 0x7b, FNV_PRIME) ^ sum);
}

/** A 32-bit hash of a row's vars, key order aside: tells whether two rows of one number differ. */
export function varsHash(vars: Vars): number {
  return valueHash(vars, FNV_OFFSET);
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
