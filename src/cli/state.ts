import { Option, type Command } from '@commander-js/extra-typings';
import { messagesOfNumber, testMessagesOfNumber } from '../state/messages-of-number.js';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stateUrlSecret } from '../config/state-url-secret.js';
import { UsageError, EXIT, type ExitCode } from '../errors.js';
import {
  LISTED_OUTCOMES,
  listedOutcome,
  formatStateList,
  formatStateListJson,
} from '../report/state-list.js';
import {
  formatShownMessages,
  formatShownMessagesJson,
  mentions,
  type ShownMessage,
} from '../report/state-show.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { currentUser, readLockInfo, takeLock } from '../state/file-lock.js';
import { LOCK_FILE } from '../state/file-state.js';
import { migrateState } from '../state/migrate-state.js';
import { openStateStore } from '../state/open-state.js';
import { planSettle } from '../state/settle-messages.js';
import {
  isPostgresUrl,
  parsePostgresTarget,
  stateTargetOf,
  type StateTarget,
} from '../state/state-target.js';
import type { JournalRecord, StateBackend } from '../state/types.js';
import { action } from './run.js';
import {
  addByOption,
  addFormatOption,
  addStateNoMaskOption,
  addStateSubcommand as sub,
  openStateFromFlags,
  type FlagsOf,
  type StateFlags,
} from './options.js';
import { noun } from '../report/plural.js';

const MIGRATE_HELP = [
  '',
  'Example:',
  '  waspec state migrate --state .waspec --to postgres://waspec@db.example.com/messaging --workspace acme',
].join('\n');

/** `state list` and its flags, in --help order. */
function listCommand(state: Command) {
  const list = sub(state, 'list')
    .description(
      'Lists the messages the state knows, with their outcome and masked number (the state keeps no full numbers).',
    )
    .option('--spec <name>', 'only this spec')
    .addOption(
      new Option('--outcome <outcome>', 'only messages with this outcome').choices(LISTED_OUTCOMES),
    );
  return addFormatOption(addStateNoMaskOption(list), ['pretty', 'json']);
}

/** `state show` and its flags. */
function showCommand(state: Command) {
  const show = sub(state, 'show')
    .description(
      'Shows one message: its outcome, request, times, and every journal record about it. Given a phone number, shows every message to it (the state keeps no numbers: their messageIds are computed).',
    )
    .argument('<messageId-or-number>', 'the message (see `waspec state list`), or a phone number');
  return addFormatOption(addStateNoMaskOption(show), ['pretty', 'json']);
}

/** `state migrate` and its flags. */
function migrateCommand(state: Command) {
  return sub(state, 'migrate')
    .description(
      'Copies every journal record of the state into another one: a file journal into PostgreSQL (--to postgres://…), or back (--to DIR). ' +
        'Safe to run again: records already there are not copied twice; a target holding other records is refused. Counts are verified after the copy.',
    )
    .option(
      '--to <dir-or-url>',
      'the target: a directory, or a postgres:// URL without password (default: WASPEC_STATE_TO_URL, which may hold one)',
    )
    .option(
      '--to-workspace <name>',
      'workspace in a PostgreSQL target (default: the source workspace)',
    );
}

/** `state settle` and its flags. */
function settleCommand(state: Command) {
  const settle = sub(state, 'settle')
    .description(
      'Resolves messages left in doubt (sent, no answer recorded) after checking them, e.g. in the AICC console: --as accepted (never sent again) ' +
        'or --as not-sent (the next apply sends them). Only in-doubt messages change; the record keeps who and why.',
    )
    .option('--message <messageId...>', 'these messages')
    .option('--spec <name>', 'the in-doubt messages of this spec')
    .option('--bulk <bulkId>', 'the in-doubt messages of this request')
    .addOption(
      new Option('--as <outcome>', 'what you found')
        .choices(['accepted', 'not-sent'])
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--reason <text>',
      'why, for the record (e.g. "seen as delivered in the AICC console, ticket 123")',
    );
  return addByOption(settle);
}

type ListFlags = FlagsOf<ReturnType<typeof listCommand>>;
type ShowFlags = FlagsOf<ReturnType<typeof showCommand>>;
type MigrateFlags = FlagsOf<ReturnType<typeof migrateCommand>>;
type SettleFlags = FlagsOf<ReturnType<typeof settleCommand>>;

export function defineStateCommand(program: Command): void {
  const state = program
    .command('state')
    .summary('inspect, migrate, settle and unlock the state')
    .description(
      'Commands on the state itself (a directory or a PostgreSQL workspace): list and show messages, copy the state elsewhere, settle messages left in doubt, remove a stale file lock.',
    );
  listCommand(state).action(action((flags) => runList(flags)));
  showCommand(state).action(action((idOrNumber, flags) => runShow(idOrNumber, flags)));
  migrateCommand(state)
    .addHelpText('after', MIGRATE_HELP)
    .action(action((flags) => runMigrate(flags)));
  settleCommand(state).action(action((flags) => runSettle(flags)));

  sub(state, 'unlock')
    .description(
      "Removes the file state's lock.json left by an apply that is gone (refused while its process runs). A PostgreSQL lock needs no unlock: it ends with its session.",
    )
    .action(action((flags) => runUnlock(flags)));

  sub(state, 'compact')
    .description(
      'Rewrites the state without the personal data an older waspec kept: full phone numbers of in-flight records and rendered message texts (content records) go; ' +
        'messageIds, masked numbers, hashes and outcomes stay, so plans, drift and settle work as before. Takes the apply lock.',
    )
    .action(action((flags) => runCompact(flags)));
}

function runCompact(flags: StateFlags): Promise<ExitCode> {
  return withStore(flags, async (store) => {
    const lock = await store.lock();
    try {
      const result = await store.compact();
      process.stdout.write(
        result.rewritten + result.removed === 0
          ? `Nothing to compact: ${store.location} keeps no full numbers or rendered texts.\n`
          : `Compacted ${store.location}: full numbers removed from ${result.rewritten} in-flight records, ${result.removed} content records (rendered texts) removed; ${result.records} records kept.\n`,
      );
      return EXIT.ok;
    } finally {
      await lock.release();
    }
  });
}

async function withStore<T>(
  flags: StateFlags,
  fn: (store: StateBackend) => Promise<T>,
): Promise<T> {
  const { store } = await openStateFromFlags(flags);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** journal-record.schema.json's maxLength of a settle record's reason and by. */
const MAX_SETTLE_REASON = 1000;
const MAX_SETTLE_BY = 256;

function runList(flags: ListFlags): Promise<ExitCode> {
  return withStore(flags, async (store) => {
    const snapshot = await store.read();
    const messages = [...snapshot.messages.values()]
      .filter(
        (m) =>
          (flags.spec === undefined || m.spec === flags.spec) &&
          (flags.outcome === undefined || listedOutcome(m) === flags.outcome),
      )
      .sort((a, b) =>
        a.spec === b.spec ? a.sentAt.localeCompare(b.sentAt) : a.spec.localeCompare(b.spec),
      );
    const view = flags.format === 'json' ? formatStateListJson : formatStateList;
    process.stdout.write(view(messages));
    return EXIT.ok;
  });
}

function runShow(idOrNumber: string, flags: ShowFlags): Promise<ExitCode> {
  return withStore(flags, async (store) => {
    const snapshot = await store.read();
    const byId = snapshot.messages.get(idOrNumber);
    // Not a messageId: a phone number, whose messages are found by the messageIds it would have.
    const states = byId
      ? [byId]
      : [...messagesOfNumber(snapshot, idOrNumber), ...testMessagesOfNumber(snapshot, idOrNumber)];
    if (states.length === 0)
      throw new UsageError(
        `The state ${store.location} has no message ${JSON.stringify(idOrNumber)} (by messageId or phone number).`,
        'List the messages with `waspec state list`.',
      );
    // The records are read a page at a time: only those of the messages shown are kept.
    const shown = states.map(
      (state) => ({ state, history: [] as JournalRecord[] }) satisfies ShownMessage,
    );
    for await (const page of store.recordPages())
      for (const record of page)
        for (const { state, history } of shown)
          if (mentions(record, state.messageId)) history.push(record);
    process.stdout.write(
      flags.format === 'json'
        ? formatShownMessagesJson(shown, byId !== undefined)
        : formatShownMessages(shown),
    );
    return EXIT.ok;
  });
}

/** The --to target: a directory, or a URL without password (that may come from WASPEC_STATE_TO_URL). */
function migrateTarget(to: string | undefined, workspace: string): StateTarget {
  if (to === undefined) {
    const fromEnv = process.env.WASPEC_STATE_TO_URL;
    if (!fromEnv)
      throw new UsageError(
        'state migrate needs --to DIR or --to URL',
        'or set WASPEC_STATE_TO_URL (which may hold the password)',
      );
    return parsePostgresTarget(fromEnv, workspace);
  }
  if (!isPostgresUrl(to)) return { kind: 'file', dir: to };
  const target = parsePostgresTarget(to, workspace);
  const secret = stateUrlSecret(to);
  if (secret)
    throw new UsageError(
      `--to must not hold a password (${secret}): the command line is visible to other processes`,
      'give it in the environment: PGPASSWORD, a ~/.pgpass file, or the whole URL in WASPEC_STATE_TO_URL (and leave out --to)',
    );
  return target;
}

async function runMigrate(flags: MigrateFlags): Promise<ExitCode> {
  const { store: source, config } = await openStateFromFlags(flags);
  try {
    const from = stateTargetOf(config);
    const to = migrateTarget(flags.to, flags.toWorkspace ?? config.workspace);
    const target = openStateStore(to);
    try {
      const result = await migrateState(source, target);
      process.stdout.write(
        result.copied === 0
          ? `Nothing to copy: ${target.location} already holds all ${result.records} records (${result.messages} messages) of ${source.location}.\n`
          : `Copied ${result.copied} of ${result.records} records (${result.messages} messages) from ${source.location} to ${target.location}; counts verified.\n`,
      );
      if (from.kind === 'file' && result.copied > 0)
        process.stdout.write(
          `Point waspec at the new state (WASPEC_STATE_URL or state: in the profile); ${from.dir} is left as it was.\n`,
        );
      return EXIT.ok;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function runSettle(flags: SettleFlags): Promise<ExitCode> {
  if (!flags.message?.length && flags.spec === undefined && flags.bulk === undefined) {
    throw new UsageError(
      'state settle needs --message, --spec or --bulk',
      'list what is in doubt with `waspec state list --outcome in-doubt`',
    );
  }
  if (flags.reason.trim() === '') throw new UsageError('--reason must say why');
  // The journal schema's bounds: a longer value would be written, then refused by every read as a damaged line.
  if (flags.reason.length > MAX_SETTLE_REASON)
    throw new UsageError(
      `--reason may hold at most ${MAX_SETTLE_REASON} characters`,
      'say why in a sentence; link a ticket for the rest',
    );
  const by = flags.by?.trim() || `${currentUser()}@${hostname()}`;
  if (by.length > MAX_SETTLE_BY)
    throw new UsageError(
      `--by may hold at most ${MAX_SETTLE_BY} characters`,
      'give a user name, e.g. --by alice',
    );
  return withStore(flags, async (store) => {
    const lock = await store.lock(); // no apply may record an answer meanwhile
    try {
      const plan = planSettle(
        await store.read(),
        {
          ...(flags.message ? { messageIds: flags.message } : {}),
          ...(flags.spec !== undefined ? { spec: flags.spec } : {}),
          ...(flags.bulk !== undefined ? { bulkId: flags.bulk } : {}),
        },
        flags.as,
        {
          by,
          reason: flags.reason,
          at: new Date().toISOString(),
        },
      );
      if (plan.record) await store.append([plan.record]);
      const out: string[] = [];
      out.push(
        `Settled ${plan.settled.length} in-doubt ${noun(plan.settled.length, 'message')} as ${flags.as} (by ${revealOneLine(by)}).`,
      );
      if (flags.as === 'not-sent' && plan.settled.length > 0)
        out.push('The next apply sends them.');
      if (plan.skipped.length > 0)
        out.push(
          `Left ${plan.skipped.length} that ${noun(plan.skipped.length, 'is', 'are')} not in doubt (${[...new Set(plan.skipped.map(listedOutcome))].join(', ')}): settle never overrides an answer of the API.`,
        );
      if (plan.unknown.length > 0)
        out.push(`Not in the state: ${plan.unknown.map((id) => JSON.stringify(id)).join(', ')}.`);
      process.stdout.write(`${out.join('\n')}\n`);
      return plan.unknown.length > 0 || plan.settled.length === 0 ? EXIT.error : EXIT.ok;
    } finally {
      await lock.release();
    }
  });
}

async function runUnlock(flags: StateFlags): Promise<ExitCode> {
  const { store, config } = await openStateFromFlags(flags);
  await store.close();
  const target = stateTargetOf(config);
  if (target.kind === 'postgres') {
    process.stdout.write(
      `Nothing to unlock: the lock of ${target.display} is held by an apply's database session and ends with it.\n`,
    );
    return EXIT.ok;
  }
  const file = join(target.dir, LOCK_FILE);
  if (
    !(await stat(file).then(
      () => true,
      () => false,
    ))
  ) {
    process.stdout.write('The state was not locked.\n');
    return EXIT.ok;
  }
  const holder = await readLockInfo(file);
  const lock = await takeLock(file, { force: true }); // refused while the holder runs, or on another host
  await lock.release();
  // The lock file is state: its fields are shown escaped, never interpreted by the terminal.
  process.stdout.write(
    holder
      ? `Removed the lock of ${revealOneLine(holder.owner)} on ${revealOneLine(holder.host)} (pid ${holder.pid}, gone) since ${revealOneLine(holder.since)}.\n`
      : 'Removed an unreadable lock file.\n',
  );
  return EXIT.ok;
}
