import type { Command } from 'commander';
import { loadConfig, type ResolvedConfig } from '../config/load-config.js';
import { stateUrlSecret } from '../config/state-url-secret.js';
import { UsageError } from '../errors.js';
import { openStateStore } from '../state/open-state.js';
import { isPostgresUrl, stateTargetOf } from '../state/state-target.js';
import type { StateBackend } from '../state/types.js';

export interface StateFlags {
  state?: string;
  workspace?: string;
  config?: string;
  profile?: string;
}

export const STATE_HELP =
  'state: a directory, or a postgres:// URL (default: the config profile, WASPEC_STATE_URL, WASPEC_STATE_DIR, or .waspec)';
export const WORKSPACE_HELP =
  'workspace in a PostgreSQL state (default: the config profile, WASPEC_WORKSPACE, or default)';

/** --state and --workspace, as every command that reads or writes the state has them. */
export function addStateOptions(command: Command): Command {
  return command
    .option('--state <dir-or-url>', STATE_HELP)
    .option('--workspace <name>', WORKSPACE_HELP);
}

/** A subcommand of `state` or `suppress`: where the state is, and which config and profile name it. */
export function addStateSubcommand(parent: Command, name: string): Command {
  return addStateOptions(parent.command(name))
    .option('--config <file>', 'config file (default waspec.config.yaml)')
    .option('--profile <name>', 'config profile');
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

/** Loads the config and opens the state it names (close it when done). */
export async function openStateFromFlags(
  flags: StateFlags,
): Promise<{ store: StateBackend; config: ResolvedConfig }> {
  const config = await loadConfig({
    ...(flags.config ? { configFile: flags.config } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    flags: stateOverrides(flags),
  });
  return { store: openStateStore(stateTargetOf(config)), config };
}
