import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, readBody, sendJson } from './http-helpers.js';

export interface TokenIssuer {
  issue(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Whether `Authorization` carries a valid, unexpired token. */
  check(authorization: string | undefined): 'ok' | 'missing' | 'unknown' | 'expired';
  /** Forget every issued token (tests force a 401 this way). */
  expireAll(): void;
  issued(): number;
}

export function createTokenIssuer(options: {
  appKey: string;
  appSecret: string;
  staticToken: string;
  ttlSeconds?: number;
}): TokenIssuer {
  const tokens = new Map<string, number>();
  let count = 0;
  return {
    async issue(req, res) {
      const parsed = parseJson((await readBody(req)) ?? '');
      const body = parsed.value;
      const key = body && typeof body === 'object' && 'app_key' in body ? body.app_key : undefined;
      const secret =
        body && typeof body === 'object' && 'app_secret' in body ? body.app_secret : undefined;
      if (key !== options.appKey || secret !== options.appSecret) {
        sendJson(res, 401, { error: 'invalid app_key or app_secret' });
        return;
      }
      const asked = Number(req.headers['x-token-expire'] ?? 600);
      const ttl =
        options.ttlSeconds ?? Math.min(3600, Number.isFinite(asked) && asked > 0 ? asked : 600);
      const token = randomBytes(24).toString('hex');
      tokens.set(token, Date.now() + ttl * 1000);
      count++;
      sendJson(res, 200, {
        AccessToken: token,
        ApplyType: 'Bearer',
        CreateTime: String(Math.floor(Date.now() / 1000)),
        Expires: String(ttl),
        Scope: 'emulator',
        AppKey: options.appKey,
        UserID: 'Anonymous',
      });
    },
    check(authorization) {
      const match = /^Bearer (.+)$/.exec(authorization ?? '');
      if (!match?.[1]) return 'missing';
      if (match[1] === options.staticToken) return 'ok';
      const expires = tokens.get(match[1]);
      if (expires === undefined) return 'unknown';
      return expires > Date.now() ? 'ok' : 'expired';
    },
    expireAll: () => tokens.clear(),
    issued: () => count,
  };
}
