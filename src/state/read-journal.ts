import { createHash } from 'node:crypto';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { StateError } from '../errors.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readLines } from '../files/read-lines.js';
import { emptyFold, foldedSnapshot, foldRecord } from './fold-journal.js';
import type { MessageTableOptions } from './message-table.js';
import { isHeaderStart, parseJournalLine } from './journal-format.js';
import type { ApiStatus } from '../api/types.js';
import type { JournalRecord, StateSnapshot, StoredContent } from './types.js';

/** A journal record is ~300 bytes per destination; a line over this is not one of waspec's. */
export const MAX_JOURNAL_LINE_BYTES = 32 * 1024 * 1024;
/** Invalid lines reported one by one before the rest are counted. */
const MAX_REPORTED = 20;

/** Opens the journal for reading: undefined when it does not exist; a symlink or special file is a StateError. */
export async function openJournal(file: string, displayName: string) {
  const opened = await openRegularFile(file, { noFollow: true });
  if ('handle' in opened) return opened.handle;
  if (opened.refusal.reason === 'missing') return undefined;
  throw new StateError(
    `The state journal ${displayName} ${opened.refusal.message}; the state's files must be regular files.`,
    'Point --state (or stateDir) at a folder of its own; waspec never follows a link out of the state.',
  );
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
        } else m.spec = known;
      }
      return record;
    }
    if (
      record.type === 'settle' ||
      record.type === 'content' ||
      record.type === 'message' ||
      record.type === 'breaker' ||
      record.type === 'canary'
    )
      return record;
    for (const r of record.results) {
      if (r.status === undefined) continue;
      const key = JSON.stringify(r.status);
      const known = statuses.get(key);
      // Bounded: statuses that all differ are kept as they came, not twice.
      if (known === undefined) {
        if (statuses.size < MAX_INTERNED) statuses.set(key, r.status);
      } else r.status = known;
    }
    return record;
  };
}

/**
 * Reads and folds the journal, each line checked against the journal schema. An incomplete last
 * line (no newline: a crash while writing) is a warning; any other bad line is an error diagnostic
 * with its line number, and its record is not folded. `onRecord` gets each record as it is read
 * (the read waits for a promise it returns); `fold: false` keeps no messages (a pass over the
 * records in bounded memory: compact, migrate, show). `pages` says where the messages' pages go
 * past those kept in memory (the state's folder; default the OS temp dir).
 */
export async function readJournal(
  file: string,
  displayName: string,
  onRecord?: (record: JournalRecord) => void | Promise<void>,
  options: { fold?: boolean; pages?: MessageTableOptions } = {},
): Promise<StateSnapshot> {
  const fold = options.fold ?? true;
  const hash = createHash('sha256');
  const folded = emptyFold(options.pages);
  const diagnostics: Diagnostic[] = [];
  let lineNo = 0;
  let records = 0;
  let invalid = 0;
  const intern = makeInterner();
  const handle = await openJournal(file, displayName);
  if (handle) {
    try {
      for await (const line of readLines(handle, {
        maxLineBytes: MAX_JOURNAL_LINE_BYTES,
        onBytes: (chunk) => hash.update(chunk),
      })) {
        lineNo++;
        if (!line.terminated) {
          // A lone unterminated line is a torn journal only if it is the start of a header.
          if (lineNo === 1 && !isHeaderStart(line.bytes))
            diagnostics.push(
              bad(displayName, lineNo, 'the journal does not start with its header line'),
            );
          else torn(diagnostics, displayName, lineNo);
          break;
        }
        const problem = line.tooLong ? 'it is longer than 32 MiB' : undefined;
        const text = problem ? '' : line.bytes.toString('utf8');
        if (!problem && text.trim() === '') continue;
        const parsed = problem
          ? { kind: 'invalid' as const, problem }
          : parseJournalLine(text, `${displayName} (line ${lineNo})`);
        if (parsed.kind === 'invalid') {
          if (invalid++ < MAX_REPORTED) diagnostics.push(bad(displayName, lineNo, parsed.problem));
          continue;
        }
        if (parsed.kind === 'record') {
          const record = intern(parsed.record);
          if (fold) foldRecord(folded, record);
          records++;
          const wait = onRecord?.(record);
          if (wait) await wait;
        }
      }
    } finally {
      await handle.close();
    }
  }
  if (invalid > MAX_REPORTED)
    diagnostics.push(bad(displayName, lineNo, `and ${invalid - MAX_REPORTED} more invalid lines`));
  return { ...foldedSnapshot(folded), digest: hash.digest('hex'), diagnostics, records };
}

const CONTENT_MARKS = [Buffer.from('"type":"content"'), Buffer.from('"type":"message"')];

/**
 * The stored contents of `hashes`, read again from the journal. Only lines that look like
 * content records (as waspec writes them) are parsed; bad lines are skipped here, as `read`
 * reports them. The first record of a hash wins (a hash always names the same content).
 */
export async function readJournalContents(
  file: string,
  displayName: string,
  hashes: ReadonlySet<string>,
): Promise<Map<string, StoredContent>> {
  const found = new Map<string, StoredContent>();
  if (hashes.size === 0) return found;
  const handle = await openJournal(file, displayName);
  if (!handle) return found;
  try {
    let lineNo = 0;
    for await (const line of readLines(handle, { maxLineBytes: MAX_JOURNAL_LINE_BYTES })) {
      lineNo++;
      if (!line.terminated || line.tooLong || !CONTENT_MARKS.some((m) => line.bytes.includes(m)))
        continue;
      const parsed = parseJournalLine(
        line.bytes.toString('utf8'),
        `${displayName} (line ${lineNo})`,
      );
      if (parsed.kind !== 'record') continue;
      if (parsed.record.type !== 'content' && parsed.record.type !== 'message') continue;
      const { hash, content, cut } = parsed.record;
      if (hashes.has(hash) && !found.has(hash))
        found.set(hash, cut ? { content, cut } : { content });
      if (found.size === hashes.size) break;
    }
  } finally {
    await handle.close();
  }
  return found;
}

function torn(diagnostics: Diagnostic[], file: string, line: number): void {
  diagnostics.push(
    makeDiagnostic(
      'state-torn-line',
      `The last line of the state journal is incomplete (a crash while writing); it is ignored.`,
      { file, line: line - 1, column: 0 },
      {
        severity: 'warning',
        hint: 'The next apply removes it. Messages it concerned show as in doubt or to retry.',
      },
    ),
  );
}

function bad(file: string, line: number, problem: string): Diagnostic {
  return makeDiagnostic(
    'state-record-invalid',
    `line ${line} of the state journal is not a valid record: ${problem}`,
    { file, line: line - 1, column: 0 },
    {
      hint: 'restore the journal from a backup or version control; waspec never rewrites earlier lines',
    },
  );
}
