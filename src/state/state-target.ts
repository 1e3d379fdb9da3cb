import { StateError } from '../errors.js';

/** Where the state lives: a directory (the default) or a PostgreSQL database. */
export type StateTarget =
  | { kind: 'file'; dir: string }
  | {
      kind: 'postgres';
      /** The connection string as given, minus waspec's own `schema` parameter. */
      connectionString: string;
      /** Schema holding waspec's tables (URL parameter `schema`, default `waspec`). */
      schema: string;
      workspace: string;
      /** The URL without its password, for messages and saved plans. */
      display: string;
      /** A password written into the URL (only allowed from the environment). */
      password?: string;
    };

export const DEFAULT_SCHEMA = 'waspec';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Checks a workspace name (letters, digits, . _ / -, up to 128). */
export function checkWorkspaceName(name: string): string {
  if (!WORKSPACE_NAME.test(name)) {
    throw new StateError(
      `The workspace name '${printable(name)}' is not allowed.`,
      'Use letters, digits, dots, dashes, underscores and slashes (up to 128 characters), e.g. acme/promotions.',
    );
  }
  return name;
}

/**
 * Parses a postgres:// URL. The error never repeats the URL (it may hold a password); the
 * display form drops the password.
 */
export function parsePostgresTarget(
  url: string,
  workspace: string,
): Extract<StateTarget, { kind: 'postgres' }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StateError(
      'The state URL is not a valid URL.',
      'Write it as postgres://USER@HOST:PORT/DATABASE (the password in PGPASSWORD).',
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new StateError(
      'The state URL names no host.',
      'Write it as postgres://USER@HOST:PORT/DATABASE.',
    );
  }
  const schema = parsed.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new StateError(
      `The schema name '${printable(schema)}' in the state URL is not allowed.`,
      'Use lower-case letters, digits and underscores (e.g. ?schema=waspec).',
    );
  }
  parsed.searchParams.delete('schema');
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const shown = new URL(parsed.href);
  shown.password = '';
  for (const key of [...shown.searchParams.keys()])
    if (/pass|secret|key|cert/i.test(key)) shown.searchParams.set(key, '***');
  return {
    kind: 'postgres',
    connectionString: parsed.href,
    schema,
    workspace: checkWorkspaceName(workspace),
    display: `${shown.href} (schema ${schema}, workspace ${workspace})`,
    ...(password ? { password } : {}),
  };
}

function printable(text: string): string {
  return JSON.stringify(text.slice(0, 80)).slice(1, -1);
}

/** The target a resolved configuration names: its state URL if any, else its directory. */
export function stateTargetOf(config: {
  stateDir: string;
  stateUrl?: string;
  workspace: string;
}): StateTarget {
  return config.stateUrl
    ? parsePostgresTarget(config.stateUrl, config.workspace)
    : { kind: 'file', dir: config.stateDir };
}
