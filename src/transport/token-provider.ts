import got from 'got';
import { TOKEN_PATH } from '../api/paths.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { AuthError } from '../errors.js';
import { redactSecrets } from './redact.js';

export interface TokenProvider {
  get(): Promise<string>;
  /** Forget the cached token and fetch a new one. */
  refresh(): Promise<string>;
  /** Every secret to redact: the configured ones and each token obtained so far. */
  secrets(): ReadonlyArray<string | undefined>;
}

/** Tokens remembered for redaction (a long apply renews its token every few minutes). */
const REMEMBERED_TOKENS = 64;

const REQUESTED_TTL_SECONDS = 600;

/** WASPEC_TOKEN as is, or a token from tokenByAkSk cached and renewed before it expires. */
export function createTokenProvider(config: ResolvedConfig): TokenProvider {
  const secrets = [config.token, config.appSecret];
  if (!config.appSecret) {
    if (!config.token)
      throw new AuthError(
        'no credentials: set WASPEC_TOKEN, or WASPEC_APP_SECRET to obtain a token',
        'secrets are read from the environment only',
      );
    const token = config.token;
    return { get: async () => token, refresh: async () => token, secrets: () => secrets };
  }
  const appSecret = config.appSecret;
  const url = config.tokenUrl ?? `${config.baseUrl}${TOKEN_PATH}`;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const obtained: string[] = [];

  const fetchToken = async (): Promise<string> => {
    let response;
    try {
      response = await got.post(url, {
        json: { app_key: config.appKey, app_secret: appSecret },
        headers: { 'X-Token-Expire': String(REQUESTED_TTL_SECONDS) },
        throwHttpErrors: false,
        retry: { limit: 0 },
        timeout: { request: config.timeoutMs },
        responseType: 'text',
      });
    } catch (error) {
      const reason = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
      throw new AuthError(
        `cannot reach the token service at ${url}: ${reason}`,
        'check WASPEC_BASE_URL or WASPEC_TOKEN_URL',
      );
    }
    if (response.statusCode === 401 || response.statusCode === 403) {
      throw new AuthError(
        `the token service refused the app key/secret (HTTP ${response.statusCode})`,
        'check WASPEC_APP_KEY and WASPEC_APP_SECRET',
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    const token =
      body && typeof body === 'object' && 'AccessToken' in body ? body.AccessToken : undefined;
    if (typeof token === 'string' && token) {
      obtained.push(token);
      if (obtained.length > REMEMBERED_TOKENS) obtained.shift();
    }
    if (response.statusCode !== 200 || typeof token !== 'string' || !token) {
      throw new AuthError(`the token service answered HTTP ${response.statusCode} without a token`);
    }
    const expires = Number(
      body && typeof body === 'object' && 'Expires' in body ? body.Expires : REQUESTED_TTL_SECONDS,
    );
    const lifetime =
      (Number.isFinite(expires) && expires > 0 ? expires : REQUESTED_TTL_SECONDS) * 1000;
    // Renew when 10% of the life or 60 s is left, whichever comes first.
    cached = {
      token,
      renewAt: Date.now() + lifetime - Math.max(Math.min(60_000, lifetime / 2), lifetime / 10),
    };
    return token;
  };

  const fresh = (): Promise<string> => {
    inFlight ??= fetchToken().finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    get: async () => (cached && cached.renewAt > Date.now() ? cached.token : fresh()),
    refresh: async () => {
      cached = undefined;
      return fresh();
    },
    secrets: () => [...secrets, ...obtained],
  };
}
