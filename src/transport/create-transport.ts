import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import got, { Options, RequestError, type PlainResponse, type Request } from 'got';
import type { ResolvedConfig } from '../config/load-config.js';
import { SEND_PATH } from '../api/paths.js';
import type { ApiResponse, RequestBody } from '../api/types.js';
import { describeSchemaErrors, validateResponseBody } from '../api/validate-request.js';
import { redactAndCut, redactSecrets } from './redact.js';
import { createTokenProvider } from './token-provider.js';
import type { SendResult, Transport } from './types.js';

// Errors that happen before a connection exists: the request cannot have been processed.
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The answer's own words (already redacted), cut: they end up in the journal and the summary. */
function reasonOf(body: string, status: number): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const key = ['error', 'message', 'description', 'resultDesc'].find((k) => {
        const value = (parsed as Record<string, unknown>)[k];
        return typeof value === 'string' && value !== '';
      });
      if (key) text = String((parsed as Record<string, unknown>)[key]);
    }
  } catch {
    // not JSON: the raw text
  }
  return `HTTP ${status}${text ? `: ${redactAndCut(text, [])}` : ''}`;
}

interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request through got's stream interface, its body read whole: got's promise interface costs
 * some 100 µs of CPU more per request (a cancelable promise, an async iterator over the body).
 * Rejects with got's own errors (their timings tell whether the body was written).
 */
function post(options: Options): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = got(undefined, undefined, options) as Request;
    let response: PlainResponse | undefined;
    const chunks: Buffer[] = [];
    request.once('response', (answer: PlainResponse) => (response = answer));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Kept for the request's life: a later error must not go unhandled.
    request.on('error', reject);
    request.once('end', () => {
      // As got's promise interface does once the body is read: stops its timers and listeners.
      request.destroy();
      if (response)
        resolve({
          statusCode: response.statusCode,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        });
      else reject(new Error('the answer ended before its status line'));
    });
    // Never left pending (an apply would wait for ever): closed without an end is an error.
    request.once('close', () => reject(new Error('the request closed before its answer ended')));
  });
}

/**
 * A keep-alive socket idle this long is closed by the client. A server closes its idle ones too
 * (Node's default after 5 s), and a request written just as it does so gets a reset once its body
 * went out: in doubt, though the server most likely never read it. Node's agent honours a server's
 * `Keep-Alive: timeout=N` less 1 s, a margin a loaded machine can eat, and not every server sends
 * one: closing first, with seconds to spare, keeps that race away.
 */
export const IDLE_SOCKET_MS = 2000;

/** got-based transport with token handling (WASPEC_TOKEN or tokenByAkSk). Never retries a POST. */
export function createTransport(config: ResolvedConfig): Transport {
  const tokens = createTokenProvider(config);
  const agent = {
    http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  const url = `${config.baseUrl}${SEND_PATH}`;
  // got normalises every request's options against its defaults: all but the body are normalised
  // once here (again only when the token changes), each request merges just its body.
  let defaults: { token: string; options: Options } | undefined;
  const defaultsFor = (token: string): Options => {
    if (defaults?.token === token) return defaults.options;
    const options = new Options(url, {
      method: 'POST',
      agent,
      retry: { limit: 0 },
      throwHttpErrors: false,
      timeout: { request: config.timeoutMs },
      isStream: true,
      headers: {
        'content-type': 'application/json',
        'x-app-key': config.appKey,
        authorization: `Bearer ${token}`,
      },
    });
    // got spreads cacheOptions into the options of every node:http request, and on Node 20 a
    // spread of a non-empty object followed by literal properties is some 100 times slower
    // (tens of µs and much garbage per request). We use no cache: none of its options matter.
    options.cacheOptions = {};
    defaults = { token, options };
    return options;
  };

  async function send(body: RequestBody, signal?: AbortSignal): Promise<SendResult> {
    const token = await tokens.get();
    let options: Options;
    try {
      options = new Options(
        undefined,
        { body: JSON.stringify(body), ...(signal ? { signal } : {}) },
        defaultsFor(token),
      );
    } catch (error) {
      // Options got refuses (a bad URL): nothing left this process.
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'not-sent', reason: redactAndCut(message, tokens.secrets()) };
    }
    try {
      const response = await post(options);
      // Redacted before anything reads it: an answer may echo the request's Authorization header.
      const text = redactSecrets(response.body, tokens.secrets());
      if (response.statusCode !== 200) {
        const after = retryAfterMs(response.headers['retry-after']);
        return {
          kind: 'http-error',
          status: response.statusCode,
          reason: reasonOf(text, response.statusCode),
          ...(after !== undefined ? { retryAfterMs: after } : {}),
        };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { kind: 'unknown', reason: 'HTTP 200 with a body that is not JSON' };
      }
      const errors = validateResponseBody(parsed);
      if (errors.length > 0)
        return {
          kind: 'unknown',
          reason: redactAndCut(
            `HTTP 200 with an unexpected body: ${describeSchemaErrors(errors)}`,
            [],
          ),
        };
      return { kind: 'ok', response: parsed as ApiResponse };
    } catch (error) {
      const message = redactAndCut(
        error instanceof Error ? error.message : String(error),
        tokens.secrets(),
      );
      if (error instanceof RequestError) {
        // got sets timings.upload once the whole body was written: from then on the API may have
        // processed it, so the outcome is unknown; before it (or with no connection) nothing was sent.
        const uploaded = error.timings?.upload !== undefined;
        if (NEVER_CONNECTED.has(error.code) || !uploaded)
          return { kind: 'not-sent', reason: `${error.code}: ${message}` };
        return { kind: 'unknown', reason: `${error.code}: ${message}` };
      }
      return { kind: 'unknown', reason: message };
    }
  }

  return {
    send,
    refreshToken: async () => {
      await tokens.refresh();
    },
    close: () => {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}
