/**
 * libpq connection parameters whose value is a secret (a password, or the password of the client
 * key); `passfile` and `sslkey` only name files.
 */
const SECRET_PARAMETERS = new Set(['password', 'sslpassword']);

/**
 * Where a postgres:// URL holds a secret, in words ("a password before the host", "the
 * parameter sslpassword"); undefined when it holds none or is not a URL. Only the environment
 * (WASPEC_STATE_URL, PGPASSWORD, .pgpass) may give one: flags and config files are seen by others.
 */
export function stateUrlSecret(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.password !== '') return 'a password before the host';
  for (const key of parsed.searchParams.keys())
    if (SECRET_PARAMETERS.has(key.toLowerCase())) return `the parameter ${key.toLowerCase()}`;
  return undefined;
}
