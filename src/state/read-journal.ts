import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { StateError } from '../errors.js';
import { foldRecord } from './fold-journal.js';
import { parseJournalLine } from './journal-format.js';
import type { ApiStatus } from '../api/types.js';
import type { JournalRecord, MessageState, StateSnapshot } from './types.js';

const NEWLINE = 0x0a;

/** Yields the journal's lines (without '\n') as they stream in; `last` marks an unterminated tail. */
async function* streamLines(
  file: string,
  onBytes: (chunk: Buffer) => void,
): AsyncIterable<{ text: string; terminated: boolean }> {
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of createReadStream(file)) {
      if (!Buffer.isBuffer(chunk)) continue;
      onBytes(chunk);
      let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      let nl = data.indexOf(NEWLINE, start);
      while (nl !== -1) {
        yield { text: data.toString('utf8', start, nl), terminated: true };
        start = nl + 1;
        nl = data.indexOf(NEWLINE, start);
      }
      carry = data.subarray(start);
      data = carry;
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
    throw error;
  }
  if (carry.length > 0) yield { text: carry.toString('utf8'), terminated: false };
}

/**
 * Values that repeat across records (the API's status objects, spec names) are kept once: a
 * state of a million messages would otherwise hold a million equal status objects.
 */
const MAX_INTERNED = 10_000;

function makeInterner(): (record: JournalRecord) => JournalRecord {
  const statuses = new Map<string, ApiStatus>();
  const specs = new Map<string, string>();
  return (record) => {
    if (record.type === 'in-flight') {
      for (const m of record.messages) {
        const known = specs.get(m.spec);
        if (known === undefined) {
          if (specs.size < MAX_INTERNED) specs.set(m.spec, m.spec);
        }
        else m.spec = known;
      }
      return record;
    }
    if (record.type === 'settle') return record;
    for (const r of record.results) {
      if (r.status === undefined) continue;
      const key = JSON.stringify(r.status);
      const known = statuses.get(key);
      // Bounded: statuses that all differ are kept as they came, not twice.
      if (known === undefined) {
        if (statuses.size < MAX_INTERNED) statuses.set(key, r.status);
      }
      else r.status = known;
    }
    return record;
  };
}

/**
 * Reads and folds the journal. A torn last line (no newline, or unparsable) is a warning;
 * a bad line anywhere else is a StateError with its line number.
 */
export async function readJournal(file: string, displayName: string, onRecord?: (record: JournalRecord) => void): Promise<StateSnapshot> {
  const hash = createHash('sha256');
  const messages = new Map<string, MessageState>();
  const diagnostics: Diagnostic[] = [];
  let lineNo = 0;
  let records = 0;
  let pendingBad: number | undefined;
  const intern = makeInterner();
  for await (const line of streamLines(file, (chunk) => hash.update(chunk))) {
    lineNo++;
    if (pendingBad !== undefined) throw corrupt(displayName, pendingBad);
    if (!line.terminated) {
      torn(diagnostics, displayName, lineNo);
      break;
    }
    if (line.text.trim() === '') continue;
    const parsed = parseJournalLine(line.text, `${displayName} (line ${lineNo})`);
    if (parsed === undefined) {
      pendingBad = lineNo; // fatal unless it turns out to be the last line
      continue;
    }
    if (parsed.kind === 'record') {
      const record = intern(parsed.record);
      foldRecord(messages, record);
      onRecord?.(record);
      records++;
    }
  }
  if (pendingBad !== undefined) torn(diagnostics, displayName, pendingBad);
  return { messages, digest: hash.digest('hex'), diagnostics, records };
}

function torn(diagnostics: Diagnostic[], file: string, line: number): void {
  diagnostics.push(
    makeDiagnostic(
      'state-torn-line',
      `The last line of the state journal is incomplete (a crash while writing); it is ignored.`,
      { file, line: line - 1, column: 0 },
      { severity: 'warning', hint: 'The next apply removes it. Messages it concerned show as in doubt or to retry.' },
    ),
  );
}

function corrupt(file: string, line: number): StateError {
  return new StateError(
    `The state journal ${file} is corrupt at line ${line}: it is not a journal record.`,
    'Restore the journal from a backup or version control; waspec never rewrites earlier lines.',
  );
}
