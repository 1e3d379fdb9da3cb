import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { loadConfig, type ResolvedConfig } from '../config/load-config.js';
import { stateUrlSecret } from '../config/state-url-secret.js';
import { UsageError } from '../errors.js';
import { openStateStore } from '../state/open-state.js';
import { isPostgresUrl, stateTargetOf } from '../state/state-target.js';
import type { StateBackend } from '../state/types.js';

// Every flag that more than one command takes is defined here once: same name, same help text
// (test/cli/shared-flags.test.ts compares the --help of every command).

export const HELP = {
  config: 'config file (default waspec.config.yaml)',
  profile: 'config profile',
  state:
    'state: a directory, or a postgres:// URL (default: the config profile, WASPEC_STATE_URL, WASPEC_STATE_DIR, or .waspec)',
  workspace:
    'workspace in a PostgreSQL state (default: the config profile, WASPEC_WORKSPACE, or default)',
  allowOutside:
    "let recipient and suppression files come from PATH (a file or folder) outside the workspace (the spec's or config's folder and the current directory; repeatable)",
  mask: 'mask phone numbers (417****6727) in everything printed',
  noMask: 'show full phone numbers',
  noMaskState: 'no effect: the state keeps masked numbers only (kept for scripts)',
  by: 'who does it, for the record (default: user@host)',
  format: 'output format',
  defaultCountry:
    "country of national numbers (079 302 67 27 with CH), as for recipients (default: the config's recipients.defaultCountry)",
} as const;

/**
 * A command of any arguments and options: the builders below add their options to it and return
 * it typed with them, so a command's flags are the type its definitions give (`FlagsOf`), never a
 * hand-written interface.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's own bound for arguments
export type AnyArgs = any[];

/** The parsed flags of a command, as its option definitions type them. */
export type FlagsOf<C extends { opts(): OptionValues }> = ReturnType<C['opts']>;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** --config and --profile: which config file, and which profile of it. */
export function addConfigOptions<A extends AnyArgs, O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command.option('--config <file>', HELP.config).option('--profile <name>', HELP.profile);
}

/** --state and --workspace, as every command that reads or writes the state has them. */
export function addStateOptions<A extends AnyArgs, O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option('--state <dir-or-url>', HELP.state)
    .option('--workspace <name>', HELP.workspace);
}

/** --allow-outside PATH, repeatable. */
export function addAllowOutsideOption<
  A extends AnyArgs,
  O extends OptionValues,
  G extends OptionValues,
>(command: Command<A, O, G>) {
  return command.option('--allow-outside <path>', HELP.allowOutside, collect, []);
}

/** --format with these choices, the first the default. */
export function addFormatOption<
  A extends AnyArgs,
  O extends OptionValues,
  G extends OptionValues,
  const C extends readonly [string, ...string[]],
>(command: Command<A, O, G>, choices: C, help: string = HELP.format) {
  return command.addOption(
    new Option('--format <format>', help).choices(choices).default<C[0]>(choices[0]),
  );
}

/** --default-country CODE: how national numbers given to a command are read. */
export function addDefaultCountryOption<
  A extends AnyArgs,
  O extends OptionValues,
  G extends OptionValues,
>(command: Command<A, O, G>) {
  return command.option('--default-country <code>', HELP.defaultCountry);
}

/** --by NAME: who a record of the state is by. */
export function addByOption<A extends AnyArgs, O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command.option('--by <name>', HELP.by);
}

/**
 * --mask and --no-mask. One rule for every command: numbers are masked by default where the
 * output is meant to leave the operator's terminal or reads back the state (markdown and html,
 * state and suppress listings), and shown in full in pretty and json of one's own specs; `--mask`
 * and `--no-mask` override it. `maskOf` applies the rule.
 */
export function addMaskOptions<A extends AnyArgs, O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command.option('--mask', HELP.mask).option('--no-mask', HELP.noMask);
}

/** --no-mask of the commands that read the state back: accepted for scripts, changes nothing. */
export function addStateNoMaskOption<
  A extends AnyArgs,
  O extends OptionValues,
  G extends OptionValues,
>(command: Command<A, O, G>) {
  return command.option('--no-mask', HELP.noMaskState);
}

// The flag types of the shared builders, taken from their definitions on a command with no
// options yet (commander's `{}`: hence the rule below, which flags that empty type).
/* eslint-disable @typescript-eslint/no-generated-empty-object-type */
type NoOptions = FlagsOf<Command>;

/** --config and --profile as parsed. */
export type ConfigFlags = FlagsOf<ReturnType<typeof addConfigOptions<[], NoOptions, NoOptions>>>;

/** --config, --profile, --state and --workspace as parsed. */
export type StateFlags = ConfigFlags &
  FlagsOf<ReturnType<typeof addStateOptions<[], NoOptions, NoOptions>>>;
/* eslint-enable @typescript-eslint/no-generated-empty-object-type */

/** Whether to mask: the flag when given, else the command's default by the rule above. */
export function maskOf(flag: boolean | undefined, maskedByDefault: boolean): boolean {
  return flag ?? maskedByDefault;
}

/** Config overrides from --state (a directory or a URL without password) and --workspace. */
export function stateOverrides(flags: StateFlags): Partial<ResolvedConfig> {
  const overrides: Partial<ResolvedConfig> = {};
  if (flags.workspace) overrides.workspace = flags.workspace;
  if (!flags.state) return overrides;
  if (!isPostgresUrl(flags.state)) return { ...overrides, stateDir: flags.state };
  try {
    new URL(flags.state);
  } catch {
    throw new UsageError(
      '--state is not a valid postgres:// URL',
      'write it as postgres://USER@HOST:PORT/DATABASE',
    );
  }
  const secret = stateUrlSecret(flags.state);
  if (secret) {
    throw new UsageError(
      `--state must not hold a password (${secret}): the command line is visible to other processes`,
      'give it in the environment: PGPASSWORD, a ~/.pgpass file, or the whole URL in WASPEC_STATE_URL',
    );
  }
  return { ...overrides, stateUrl: flags.state };
}

/**
 * The config as the flags choose it: --config, --profile, --state/--workspace and
 * --allow-outside, then `overrides` (a command's own flags, e.g. apply's --concurrency).
 */
export function resolveConfig(
  flags: StateFlags & { allowOutside?: string[] },
  overrides: Partial<ResolvedConfig> = {},
  env?: NodeJS.ProcessEnv,
): Promise<ResolvedConfig> {
  return loadConfig({
    ...(flags.config ? { configFile: flags.config } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(env ? { env } : {}),
    flags: {
      ...stateOverrides(flags),
      ...(flags.allowOutside?.length ? { allowOutside: flags.allowOutside } : {}),
      ...overrides,
    },
  });
}

/** A subcommand of `state` or `suppress`: where the state is, and which config and profile name it. */
export function addStateSubcommand<const N extends string>(parent: Command, name: N) {
  return addConfigOptions(addStateOptions(parent.command(name)));
}

/** Loads the config and opens the state it names (close it when done). */
export async function openStateFromFlags(
  flags: StateFlags,
): Promise<{ store: StateBackend; config: ResolvedConfig }> {
  const config = await resolveConfig(flags);
  return { store: openStateStore(stateTargetOf(config)), config };
}
