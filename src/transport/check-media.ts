import type { Response } from 'got';
import { isIP } from 'node:net';
import type PQueue from 'p-queue';
import {
  MEDIA_RULES,
  type MediaCheck,
  type MediaKind,
  type MediaVerdict,
} from '../api/media-limits.js';
import { isPrivateAddress, PrivateAddressError, publicOnlyLookup } from './private-address.js';

export interface MediaCheckOptions {
  /** Private and loopback addresses may be fetched (--allow-private-media). */
  allowPrivate?: boolean;
  /** Per request (default 5 s). */
  timeoutMs?: number;
  /** Requests in flight (default 8). */
  concurrency?: number;
}

const MAX_REDIRECTS = 3;
const MB = (n: number) => `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;

/**
 * A checker of media URLs for one run: each distinct URL is fetched once (HEAD, or a GET of one
 * byte where HEAD is refused), a few at a time, and its status, content type and size compared
 * with the API reference's limits for its kind. Only http(s); private addresses only if allowed.
 */
export function createMediaChecker(options: MediaCheckOptions = {}): MediaCheck {
  // p-queue and got load with the first URL checked, not at start-up of every command that can check.
  let queue: Promise<PQueue> | undefined;
  const cache = new Map<string, Promise<MediaVerdict>>();
  return (url, kind) => {
    const key = `${kind} ${url}`;
    let verdict = cache.get(key);
    if (!verdict) {
      queue ??= import('p-queue').then(
        ({ default: Queue }) => new Queue({ concurrency: options.concurrency ?? 8 }),
      );
      verdict = queue.then((q) => q.add(() => checkOne(url, kind, options)));
      cache.set(key, verdict);
    }
    return verdict;
  };
}

async function checkOne(
  first: string,
  kind: MediaKind,
  options: MediaCheckOptions,
): Promise<MediaVerdict> {
  const rule = MEDIA_RULES[kind];
  let url = first;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, message: `the ${kind} URL is not a valid URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return {
        ok: false,
        message: `the ${kind} URL leads to ${parsed.protocol} (only http and https are fetched)`,
      };
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host))
      return privateRefusal(host);
    let response: Response;
    try {
      response = await fetchHead(parsed, options);
    } catch (error) {
      if (
        error instanceof PrivateAddressError ||
        (error as { cause?: unknown }).cause instanceof PrivateAddressError
      )
        return privateRefusal(parsed.hostname);
      const code = (error as { code?: string }).code;
      return {
        ok: false,
        message:
          code === 'ETIMEDOUT'
            ? `the ${kind} URL did not answer within ${(options.timeoutMs ?? 5000) / 1000} s`
            : `the ${kind} URL could not be fetched (${code ?? 'error'})`,
      };
    }
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && location) {
      url = new URL(location, parsed).toString();
      continue;
    }
    return judge(response, kind, rule);
  }
  return { ok: false, message: `the ${kind} URL redirects more than ${MAX_REDIRECTS} times` };
}

function privateRefusal(host: string): MediaVerdict {
  return {
    ok: false,
    message: `the media URL names ${host}, a private or loopback address: not fetched`,
    hint: 'WhatsApp fetches media from the internet; allow private addresses for tests with --allow-private-media (media.allowPrivate in the config)',
  };
}

/** HEAD, and where it is refused (405, 501) a GET of the first byte whose body is not read. */
async function fetchHead(url: URL, options: MediaCheckOptions): Promise<Response> {
  const common = {
    timeout: { request: options.timeoutMs ?? 5000 },
    retry: { limit: 0 },
    followRedirect: false,
    throwHttpErrors: false,
    ...(options.allowPrivate ? {} : { dnsLookup: publicOnlyLookup }),
  } as const;
  const { default: got } = await import('got');
  const head = await got.head(url, common);
  if (head.statusCode !== 405 && head.statusCode !== 501) return head;
  return new Promise<Response>((resolve, reject) => {
    const stream = got.stream(url, { ...common, isStream: true, headers: { range: 'bytes=0-0' } });
    stream.on('response', (response: Response) => {
      resolve(response);
      stream.destroy();
    });
    stream.on('error', reject);
  });
}

function judge(
  response: Response,
  kind: MediaKind,
  rule: (typeof MEDIA_RULES)[MediaKind],
): MediaVerdict {
  const status = response.statusCode;
  if (status !== 200 && status !== 206)
    return { ok: false, message: `the ${kind} URL answers HTTP ${status}, not 200` };
  const type =
    String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  if (!(rule.types as readonly string[]).includes(type))
    return {
      ok: false,
      message: `the ${kind} URL serves ${type || 'no content type'}, not ${rule.named} (${rule.types.join(', ')})`,
      hint: `the API takes ${kind}s of type ${rule.named}`,
    };
  // A ranged answer says the whole size after the slash (bytes 0-0/12345).
  const range = /\/(\d+)\s*$/.exec(String(response.headers['content-range'] ?? ''));
  const size = Number(range?.[1] ?? (status === 200 ? response.headers['content-length'] : NaN));
  if (Number.isFinite(size) && size > rule.maxBytes)
    return {
      ok: false,
      message: `the ${kind} URL serves ${MB(size)} (${size.toLocaleString('en-US')} bytes), over the API's ${MB(rule.maxBytes)}`,
    };
  return { ok: true };
}
