import { StateError } from '../errors.js';
import type { JournalRecord } from './types.js';

/** The journal file's layout (its header line) this code reads and writes. */
export const JOURNAL_FORMAT_VERSION = 1;

/** The newest record version this code reads (settle records are version 2). */
export const RECORD_VERSION = 2;

export const JOURNAL_HEADER = { waspec: 'state', formatVersion: JOURNAL_FORMAT_VERSION } as const;

export type JournalLine = { kind: 'header' } | { kind: 'record'; record: JournalRecord };

function refuseNewer(version: number, where: string, known = JOURNAL_FORMAT_VERSION): never {
  throw new StateError(
    `The state journal ${where} was written by a newer waspec (format version ${version}; this waspec reads version ${known}).`,
    'Upgrade waspec to read this state; do not edit the journal by hand.',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one journal line. Returns undefined when the line is not a journal line
 * (the caller decides whether that is a torn tail or corruption). Newer versions throw.
 */
export function parseJournalLine(line: string, where: string): JournalLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (value.waspec === 'state') {
    const version = value.formatVersion;
    if (typeof version !== 'number') return undefined;
    if (version > JOURNAL_FORMAT_VERSION) refuseNewer(version, where);
    return { kind: 'header' };
  }
  const v = value.v;
  if (typeof v !== 'number') return undefined;
  if (v > RECORD_VERSION) refuseNewer(v, where, RECORD_VERSION);
  if (value.type === 'in-flight' && Array.isArray(value.messages) && typeof value.at === 'string') {
    return { kind: 'record', record: value as JournalRecord };
  }
  if (value.type === 'outcome' && Array.isArray(value.results) && typeof value.at === 'string') {
    return { kind: 'record', record: value as JournalRecord };
  }
  if (value.type === 'settle' && Array.isArray(value.messageIds) && typeof value.at === 'string' && (value.as === 'accepted' || value.as === 'not-sent')) {
    return { kind: 'record', record: value as JournalRecord };
  }
  return undefined;
}
