import { StateError, StateLostError, WaspecError } from '../errors.js';

const GRANTS_HINT = 'See docs/reference/state-tables.md for the grants plan and apply need.';

interface PgLikeError {
  code?: string;
  message: string;
}

function asPgError(error: unknown): PgLikeError {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return { message: error.message, ...(code ? { code } : {}) };
  }
  return { message: String(error) };
}

/** True for errors that mean the session is gone (terminated, reset, closed). */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message } = asPgError(error);
  if (
    code &&
    ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', '08006', '08003', '08000'].includes(code)
  )
    return true;
  return /Connection terminated|Client was closed|not queryable|connection is closed/i.test(
    message,
  );
}

/**
 * One line and a hint for a failure to reach or use the state database. Messages of the
 * server or driver are scrubbed of the password before they are shown.
 */
export function describePgError(
  error: unknown,
  where: string,
  password: string | undefined,
  doing: string,
): WaspecError {
  if (error instanceof WaspecError) return error;
  const { code, message } = asPgError(error);
  const scrub = (text: string) =>
    password && password.length > 0 ? text.split(password).join('[redacted]') : text;
  const said = scrub(message.split('\n')[0] ?? '');
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    /timeout expired|Connection terminated due to connection timeout/i.test(message)
  ) {
    return new StateError(
      `Cannot reach the state database ${where} (${code ?? said}); nothing was sent.`,
      'Check the host and port of the state URL and that PostgreSQL is running (pg_isready).',
    );
  }
  if (code === '28P01' || code === '28000') {
    return new StateError(
      `The state database refused the login (${said}); nothing was sent.`,
      'Set the password in PGPASSWORD (or in WASPEC_STATE_URL, in the environment only), and check the user name.',
    );
  }
  if (/client password must be a string|password authentication|SASL/i.test(message)) {
    return new StateError(
      'The state database asks for a password and none was given; nothing was sent.',
      'Set PGPASSWORD (or put the password in WASPEC_STATE_URL, in the environment only).',
    );
  }
  if (code === '3D000')
    return new StateError(
      `The state database does not exist (${said}).`,
      'Create it (createdb) or fix the database name in the state URL.',
    );
  if (code === '42501')
    return new StateError(`The database role may not ${doing} (${said}).`, GRANTS_HINT);
  if (code === '25006')
    return new StateError(`The state database is read-only here; cannot ${doing}.`, GRANTS_HINT);
  if (isConnectionLoss(error)) {
    return new StateLostError(
      `Lost the connection to the state database while trying to ${doing} (${said}).`,
      'Check the database; run `waspec plan` once it is back: requests that were in flight show as in doubt.',
    );
  }
  return new StateError(
    `The state database failed to ${doing}: ${said}${code ? ` (${code})` : ''}.`,
  );
}
