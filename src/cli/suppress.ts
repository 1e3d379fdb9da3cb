import type { Command } from '@commander-js/extra-typings';
import { hostname } from 'node:os';
import path from 'node:path';
import { CONFIG_FILE_NAME, type ResolvedConfig } from '../config/load-config.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { UsageError, EXIT, type ExitCode } from '../errors.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import { plural } from '../report/plural.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { SUPPRESSION_LIST_FORMATS, suppressionListView } from '../report/suppression-list.js';
import { currentUser } from '../state/file-lock.js';
import {
  MAX_SUPPRESSION_TEXT as MAX_TEXT,
  readSuppressionFile,
  SUPPRESSION_HINT,
} from '../suppressions/read-suppression-file.js';
import { removableNumbers, tableNumbers } from '../suppressions/command-numbers.js';
import { isKnownCountry } from '../recipients/phone.js';
import type { Suppression, SuppressionTable } from '../suppressions/types.js';
import { printDiagnostics } from './print-diagnostics.js';
import { action } from './run.js';
import {
  addByOption,
  addDefaultCountryOption,
  addFormatOption,
  addMaskOptions,
  addStateSubcommand,
  maskOf,
  openStateFromFlags,
  type FlagsOf,
  type StateFlags,
} from './options.js';

const ADD_HELP = [
  '',
  'Examples:',
  '  waspec suppress add +41793026727 --reason "replied STOP"',
  '  waspec suppress add "+44 7910 000000" 4915112345678 --state postgres://waspec@db.example.com/messaging --workspace acme',
].join('\n');

const LIST_HELP = [
  '',
  '--format ndjson: one object a line, which `suppress import` reads.',
  '',
  'Examples:',
  '  waspec suppress list',
  '  waspec suppress list --format ndjson --no-mask > suppressed.ndjson   (a copy `suppress import` reads back)',
].join('\n');

const IMPORT_HELP = [
  '',
  'Examples:',
  '  waspec suppress import lists/stop.csv',
  '  waspec suppress import complaints.ndjson --reason complaint --workspace acme',
].join('\n');

/** `suppress add` and its flags, in --help order. */
function addCommand(suppress: Command) {
  const add = addStateSubcommand(suppress, 'add')
    .description(
      'Suppresses numbers (normalised exactly as recipients are: +41 79 302 67 27 is 41793026727, and so is 079 302 67 27 with defaultCountry CH). ' +
        'A number that is not valid is refused (exit 1) and nothing is added. A number already suppressed keeps its reason and date.',
    )
    .argument(
      '<numbers...>',
      'phone numbers, in international format (or national, see --default-country)',
    )
    .option('--reason <text>', 'why, shown in plans (e.g. "replied STOP")');
  return addDefaultCountryOption(addByOption(add));
}

/** `suppress remove` and its flags. */
function removeCommand(suppress: Command) {
  const remove = addStateSubcommand(suppress, 'remove')
    .description(
      'Takes numbers off the suppression table, so plans may send to them again. Exit 1 when a number was not on it.',
    )
    .argument(
      '<numbers...>',
      'phone numbers, in international format (or national, see --default-country)',
    );
  return addDefaultCountryOption(remove);
}

/** `suppress list` and its flags. */
function listCommand(suppress: Command) {
  const list = addStateSubcommand(suppress, 'list').description(
    'Lists the suppressed numbers (masked unless --no-mask) with when, by whom and why they were added; then the count.',
  );
  return addFormatOption(addMaskOptions(list), SUPPRESSION_LIST_FORMATS);
}

/** `suppress import` and its flags. */
function importCommand(suppress: Command) {
  const command = addStateSubcommand(suppress, 'import')
    .description(
      'Adds every number of a suppression file (CSV with a phoneNumber column and optional reason column, or NDJSON lines {"phoneNumber", "reason"}), ' +
        "read as the config's suppression files are. All or nothing: a file with errors imports nothing. Numbers already suppressed keep their reason and date; " +
        "a file's date column is not imported (added_at is the time of the import).",
    )
    .argument('<file>', 'a .csv, .ndjson or .jsonl file')
    .option('--reason <text>', 'reason for the rows that give none');
  return addDefaultCountryOption(addByOption(command));
}

type AddFlags = FlagsOf<ReturnType<typeof addCommand>>;
type RemoveFlags = FlagsOf<ReturnType<typeof removeCommand>>;
type ListFlags = FlagsOf<ReturnType<typeof listCommand>>;
type ImportFlags = FlagsOf<ReturnType<typeof importCommand>>;

export function defineSuppressCommand(program: Command): void {
  const suppress = program
    .command('suppress')
    .summary('add, remove, list and import suppressed numbers (PostgreSQL state)')
    .description(
      "Manages the suppression table of a PostgreSQL state's workspace: numbers that are never sent a message. Every plan and apply on that state " +
        "takes them with the config's suppression files; a saved plan made before a number was added is refused as stale. " +
        `With the file state, suppressed numbers live in the files listed under \`suppressions:\` in ${CONFIG_FILE_NAME}.`,
    );
  addCommand(suppress)
    .addHelpText('after', ADD_HELP)
    .action(action((numbers, flags) => runAdd(numbers, flags)));
  removeCommand(suppress)
    .addHelpText('after', '\nExample:\n  waspec suppress remove +41793026727')
    .action(action((numbers, flags) => runRemove(numbers, flags)));
  listCommand(suppress)
    .addHelpText('after', LIST_HELP)
    .action(action((flags) => runList(flags)));
  importCommand(suppress)
    .addHelpText('after', IMPORT_HELP)
    .action(action((file, flags) => runImport(file, flags)));
}

async function withTable<T>(
  flags: StateFlags,
  fn: (table: SuppressionTable, config: ResolvedConfig) => Promise<T>,
): Promise<T> {
  const { store, config } = await openStateFromFlags(flags);
  try {
    if (!store.suppressions) {
      throw new UsageError(
        `waspec suppress needs a PostgreSQL state; with the file state (${revealOneLine(config.stateDir)}) suppressed numbers live in the files listed under \`suppressions:\` in ${CONFIG_FILE_NAME}.`,
        'add the numbers to one of those files (CSV: phoneNumber,reason,date), or give --state postgres://… (or WASPEC_STATE_URL)',
      );
    }
    return await fn(store.suppressions, config);
  } finally {
    await store.close();
  }
}

function boundedText(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > MAX_TEXT)
    throw new UsageError(
      `${flag} may hold at most ${MAX_TEXT} characters`,
      'it is shown in every plan: a few words (link a ticket for the rest)',
    );
  return value.trim();
}

const byOf = (flags: { by?: string }): string =>
  boundedText('--by', flags.by) ?? `${currentUser()}@${hostname()}`;

/** --default-country, else the config's recipients.defaultCountry. */
function defaultCountryOf(
  flags: { defaultCountry?: string },
  config: ResolvedConfig,
): string | undefined {
  const given = flags.defaultCountry?.trim().toUpperCase();
  if (given === undefined) return config.recipients?.defaultCountry?.toUpperCase();
  if (!isKnownCountry(given))
    throw new UsageError(
      `--default-country '${revealOneLine(given.slice(0, 40))}' is not an ISO 3166 country code libphonenumber knows`,
      'two letters, e.g. CH, DE, GB, US',
    );
  return given;
}

/** Checked before the state is opened (the same answer with any state). */
function requireDigits(numbers: readonly string[]): void {
  const raw = numbers.find((n) => !/\d/.test(n));
  if (raw !== undefined)
    throw new UsageError(
      `'${revealOneLine(raw.slice(0, 40))}' is not a phone number (no digits)`,
      SUPPRESSION_HINT,
    );
}

function runAdd(raw: string[], flags: AddFlags): Promise<ExitCode> {
  const reason = boundedText('--reason', flags.reason);
  const by = byOf(flags);
  requireDigits(raw);
  return withTable(flags, async (table, config) => {
    const numbers = tableNumbers(raw, defaultCountryOf(flags, config));
    const added = await table.add(
      numbers.map((phoneNumber) => ({ phoneNumber, ...(reason === undefined ? {} : { reason }) })),
      by,
    );
    const already = numbers.length - added;
    process.stdout.write(
      `Suppressed ${plural(added, 'number')} in ${table.location}${already > 0 ? `; ${already} already suppressed (kept as they were)` : ''}.\n`,
    );
    return EXIT.ok;
  });
}

function runRemove(raw: string[], flags: RemoveFlags): Promise<ExitCode> {
  requireDigits(raw);
  return withTable(flags, async (table, config) => {
    const { numbers, warnings } = removableNumbers(raw, defaultCountryOf(flags, config));
    printDiagnostics(warnings);
    const removed = new Set(await table.remove(numbers));
    const missing = numbers.filter((n) => !removed.has(n));
    process.stdout.write(`Removed ${plural(removed.size, 'number')} from ${table.location}.\n`);
    if (missing.length > 0)
      process.stdout.write(`Not on the list: ${missing.map(maskPhone).join(', ')}.\n`);
    return missing.length > 0 ? EXIT.error : EXIT.ok;
  });
}

function runList(flags: ListFlags): Promise<ExitCode> {
  // The state read back: masked unless --no-mask (see maskOf).
  const view = suppressionListView(flags.format, { mask: maskOf(flags.mask, true) });
  return withTable(flags, async (table) => {
    process.stdout.write(view.start());
    const count = await table.list((row) => process.stdout.write(view.row(row)));
    process.stdout.write(view.end(count, table.location));
    return EXIT.ok;
  });
}

async function runImport(file: string, flags: ImportFlags): Promise<ExitCode> {
  const reason = boundedText('--reason', flags.reason);
  const by = byOf(flags);
  return withTable(flags, async (table, config) => {
    // Named on the command line by the operator: read wherever it is (still a regular file, size-capped).
    const numbers = new Map<string, Suppression>();
    const diagnostics: Diagnostic[] = [];
    const defaultCountry = defaultCountryOf(flags, config);
    await readSuppressionFile(path.resolve(file), numbers, (d) => diagnostics.push(d), {
      ...(defaultCountry ? { defaultCountry } : {}),
    });
    printDiagnostics(diagnostics);
    if (hasErrors(diagnostics)) {
      process.stderr.write(`Nothing imported: ${revealOneLine(file)} has errors.\n`);
      return EXIT.error;
    }
    const entries = [...numbers].map(([phoneNumber, why]) => {
      const r = why.reason ?? reason;
      return { phoneNumber, ...(r === undefined ? {} : { reason: r }) };
    });
    const added = await table.add(entries, by);
    const already = entries.length - added;
    process.stdout.write(
      `Imported ${plural(added, 'number')} of ${entries.length.toLocaleString('en-US')} from ${revealOneLine(file)} into ${table.location}${already > 0 ? ` (${already.toLocaleString('en-US')} already suppressed, kept as they were)` : ''}.\n`,
    );
    return EXIT.ok;
  });
}
