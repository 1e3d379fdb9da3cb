import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEND_PATH, TOKEN_PATH } from '../api/paths.js';
import { describeSchemaErrors, validateRequestBody } from '../api/validate-request.js';
import type { RequestBody } from '../api/types.js';
import { parseJson, readBody, sendJson, sleep } from './http-helpers.js';
import { createRandom } from './random.js';
import { PENDING_ACCEPTED, REJECTED_DESTINATION } from './statuses.js';
import { createTokenIssuer } from './tokens.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  appKey?: string;
  appSecret?: string;
  /** A static token accepted besides issued ones. */
  token?: string;
  /** Phone numbers answered with a REJECTED status. */
  rejectNumbers?: readonly string[];
  /** Share of numbers (0-1) answered with a REJECTED status, chosen by a hash of the number (the same ones every time). */
  rejectRate?: number;
  failRate?: number;
  throttleRps?: number;
  resetRate?: number;
  latencyMs?: number;
  tokenTtlSeconds?: number;
  seed?: number;
  /** Newest send requests kept for requestBodies/requestLog and GET /_emulator/requests (default 10,000). */
  keepRequests?: number;
}

export interface EmulatorStats {
  requests: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  uniqueMessageIds: number;
  tokensIssued: number;
  byStatus: Record<string, number>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  port: number;
  stats(): EmulatorStats;
  /** The bodies of the requests it accepted, as the bytes arrived (the newest `keepRequests`). */
  requestBodies(): string[];
  /** Each send request (the newest `keepRequests`) with when it came and when and how it was answered (tests of crash bounds). */
  requestLog(): RequestLogEntry[];
  /** Calls `listener` with each send request's log entry as it is answered; returns the unsubscribe. */
  onAnswer(listener: (entry: Readonly<RequestLogEntry>) => void): () => void;
  close(): Promise<void>;
}

/** A long-running `waspec emulator` keeps only the newest requests' bodies and log entries. */
const KEEP_REQUESTS = 10_000;
const KEEP_BODY_CHARS = 64 * 1024 * 1024;

/** Demo credentials: documented, not secret. */
export const EMULATOR_DEFAULTS = {
  appKey: 'demo-app-key',
  appSecret: 'demo-app-secret',
  token: 'demo-token',
  port: 8787,
} as const;

export interface RequestLogEntry {
  /** ms since the epoch */
  receivedAt: number;
  answeredAt?: number;
  /** HTTP status of the answer, or `reset` when the connection was destroyed. */
  answer?: number | 'reset';
  /** The request's messageIds, when its body was read. */
  messageIds: string[];
}

interface Recorded {
  messageId: string;
  phoneNumber: string;
  bulkId: string;
  status: string;
  whatsApp: unknown;
}

function messageIdsOf(value: unknown): string[] {
  const destinations = (value as { destinations?: unknown } | undefined)?.destinations;
  if (!Array.isArray(destinations)) return [];
  return destinations.flatMap((d) => {
    const id = (d as { messageId?: unknown } | null)?.messageId;
    return typeof id === 'string' ? [id] : [];
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const appKey = options.appKey ?? EMULATOR_DEFAULTS.appKey;
  const random = createRandom(options.seed ?? 1);
  const reject = new Set(options.rejectNumbers ?? []);
  const rejects = (phoneNumber: string) =>
    reject.has(phoneNumber) ||
    (options.rejectRate !== undefined && hashShare(phoneNumber) < options.rejectRate);
  const tokens = createTokenIssuer({
    appKey,
    appSecret: options.appSecret ?? EMULATOR_DEFAULTS.appSecret,
    staticToken: options.token ?? EMULATOR_DEFAULTS.token,
    ...(options.tokenTtlSeconds !== undefined ? { ttlSeconds: options.tokenTtlSeconds } : {}),
  });
  const messages = new Map<string, Recorded>();
  const keep = options.keepRequests ?? KEEP_REQUESTS;
  const bodies: string[] = [];
  let bodyChars = 0;
  const log: RequestLogEntry[] = [];
  const listeners = new Set<(entry: Readonly<RequestLogEntry>) => void>();
  const answered = (entry: RequestLogEntry) => {
    for (const listener of listeners) listener({ ...entry });
  };
  const keepBody = (text: string) => {
    bodies.push(text);
    bodyChars += text.length;
    while (bodies.length > keep || bodyChars > KEEP_BODY_CHARS)
      bodyChars -= bodies.shift()?.length ?? 0;
  };
  const stats: EmulatorStats = {
    requests: 0,
    accepted: 0,
    rejected: 0,
    duplicates: 0,
    uniqueMessageIds: 0,
    tokensIssued: 0,
    byStatus: {},
  };
  let window = { second: 0, count: 0 };

  const answer = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
    entry?: RequestLogEntry,
  ) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    sendJson(res, status, body, headers);
    if (entry) {
      Object.assign(entry, { answer: status, answeredAt: Date.now() });
      answered(entry);
    }
  };
  const reset = (req: IncomingMessage, entry: RequestLogEntry) => {
    req.socket.destroy();
    Object.assign(entry, { answer: 'reset', answeredAt: Date.now() });
    answered(entry);
  };
  // The messageIds of a refused request, for the log: the refusal itself never depends on the body.
  const noteIds = async (req: IncomingMessage, entry: RequestLogEntry) => {
    const text = await readBody(req);
    const value = text === undefined ? undefined : parseJson(text).value;
    entry.messageIds = messageIdsOf(value);
  };

  const accept = (body: RequestBody) =>
    body.destinations.map((d) => {
      const status = rejects(d.to.phoneNumber) ? REJECTED_DESTINATION : PENDING_ACCEPTED;
      if (messages.has(d.messageId)) stats.duplicates++;
      else stats.uniqueMessageIds++;
      if (status === PENDING_ACCEPTED) stats.accepted++;
      else stats.rejected++;
      messages.set(d.messageId, {
        messageId: d.messageId,
        phoneNumber: d.to.phoneNumber,
        bulkId: body.bulkId,
        status: status.name,
        whatsApp: body.whatsApp,
      });
      return { to: { phoneNumber: d.to.phoneNumber }, status, messageId: d.messageId };
    });

  async function send(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    const entry: RequestLogEntry = { receivedAt: Date.now(), messageIds: [] };
    log.push(entry);
    if (log.length > keep) log.shift();
    if (options.latencyMs) await sleep(options.latencyMs);
    const second = Math.floor(Date.now() / 1000);
    if (second !== window.second) window = { second, count: 0 };
    if (options.throttleRps !== undefined && ++window.count > options.throttleRps) {
      await noteIds(req, entry);
      return answer(res, 429, { error: 'too many requests' }, { 'retry-after': '1' }, entry);
    }
    if (options.failRate && random() < options.failRate) {
      const status = [500, 502, 503][Math.floor(random() * 3)] ?? 503;
      await noteIds(req, entry);
      return answer(res, status, { error: 'injected failure' }, {}, entry);
    }
    const resetWhen =
      options.resetRate && random() < options.resetRate
        ? random() < 0.5
          ? 'before'
          : 'after'
        : undefined;
    if (resetWhen === 'before') return reset(req, entry);
    const auth = tokens.check(req.headers.authorization);
    if (auth !== 'ok') return answer(res, 401, { error: `unauthorized: token ${auth}` }, {}, entry);
    if (req.headers['x-app-key'] !== appKey)
      return answer(res, 401, { error: 'unauthorized: unknown x-app-key' }, {}, entry);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return answer(res, 415, { error: 'Content-Type must be application/json' }, {}, entry);
    }
    const text = await readBody(req);
    if (text === undefined) return answer(res, 413, { error: 'request body too large' }, {}, entry);
    const parsed = parseJson(text);
    if (parsed.error !== undefined)
      return answer(res, 400, { error: `malformed JSON: ${parsed.error}` }, {}, entry);
    entry.messageIds = messageIdsOf(parsed.value);
    const errors = validateRequestBody(parsed.value);
    if (errors.length > 0)
      return answer(
        res,
        400,
        { error: `invalid request: ${describeSchemaErrors(errors)}` },
        {},
        entry,
      );
    const body = parsed.value as RequestBody;
    keepBody(text);
    const result = { messages: accept(body), bulkId: body.bulkId };
    if (resetWhen === 'after') return reset(req, entry);
    answer(res, 200, result, {}, entry);
  }

  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    const route = `${req.method ?? ''} ${url}`;
    const handle = async () => {
      if (route === `POST ${SEND_PATH}`) return send(req, res);
      if (route === `POST ${TOKEN_PATH}`) return tokens.issue(req, res);
      if (route === 'GET /_emulator/stats')
        return sendJson(res, 200, { ...stats, tokensIssued: tokens.issued() });
      if (route === 'GET /_emulator/messages') return sendJson(res, 200, [...messages.values()]);
      if (route === 'GET /_emulator/requests') return sendJson(res, 200, bodies);
      if (route === 'POST /_emulator/expire-tokens') {
        tokens.expireAll();
        return sendJson(res, 200, { ok: true });
      }
      sendJson(res, 404, { error: `no such path: ${url}` });
    };
    handle().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'emulator error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus }, tokensIssued: tokens.issued() }),
    requestBodies: () => [...bodies],
    requestLog: () => log.map((e) => ({ ...e })),
    onAnswer: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A number's place in [0, 1), from its hash: a reject rate picks the same numbers on every run. */
export function hashShare(phoneNumber: string): number {
  return createHash('sha256').update(phoneNumber).digest().readUInt32BE(0) / 2 ** 32;
}
