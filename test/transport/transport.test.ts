import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ResolvedConfig } from '../../src/config/load-config.js';
import { startEmulator } from '../../src/emulator/server.js';
import { AuthError } from '../../src/errors.js';
import { createTransport, IDLE_SOCKET_MS } from '../../src/transport/create-transport.js';
import { redactSecrets } from '../../src/transport/redact.js';

const SECRET = 'app-secret-4f9a1c';
const body = (messageId: string) => ({
  bulkId: 'C'.repeat(64),
  destinations: [{ messageId, to: { phoneNumber: '41793026727' } }],
  whatsApp: { text: 'hi' },
});
const config = (baseUrl: string, extra: Partial<ResolvedConfig> = {}): ResolvedConfig => ({
  baseUrl,
  appKey: 'demo-app-key',
  appSecret: SECRET,
  batchSize: 100,
  concurrency: 4,
  stateDir: '.waspec',
  workspace: 'default',
  timeoutMs: 2000,
  policy: {},
  suppressions: [],
  ...extra,
});

test('ok answers, HTTP errors with Retry-After, and one token for many requests', async () => {
  const emulator = await startEmulator({ appSecret: SECRET, throttleRps: 1 });
  const transport = createTransport(config(emulator.url));
  try {
    const first = await transport.send(body('t1'));
    assert.is(first.kind, 'ok');
    // The emulator counts per calendar second: two sends may straddle a second's end, so send
    // until one lands in a second that already had its request.
    let throttled = await transport.send(body('t2'));
    for (let i = 3; throttled.kind === 'ok' && i < 50; i++)
      throttled = await transport.send(body(`t${i}`));
    assert.equal(
      throttled.kind === 'http-error' ? [throttled.status, throttled.retryAfterMs] : throttled,
      [429, 1000],
    );
    assert.is(emulator.stats().tokensIssued, 1);
    await transport.refreshToken();
    assert.is(emulator.stats().tokensIssued, 2);
  } finally {
    transport.close();
    await emulator.close();
  }
});

test('a refused connection is not-sent; a reset after processing is unknown; a timeout is unknown', async () => {
  const refused = createTransport(
    config('http://127.0.0.1:9', { token: 'tok-123456', appSecret: undefined }),
  );
  assert.is((await refused.send(body('n1'))).kind, 'not-sent');
  refused.close();

  const resetting = await startEmulator({ appSecret: SECRET, resetRate: 1, seed: 5 });
  const transport = createTransport(config(resetting.url));
  try {
    const kinds = new Set<string>();
    for (let i = 0; i < 6; i++) kinds.add((await transport.send(body(`r${i}`))).kind);
    assert.equal([...kinds], ['unknown']);
    assert.ok(resetting.stats().uniqueMessageIds > 0, 'some were processed before the reset');
  } finally {
    transport.close();
    await resetting.close();
  }

  const slow = await startEmulator({ appSecret: SECRET, latencyMs: 1500 });
  const impatient = createTransport(config(slow.url, { timeoutMs: 300 }));
  try {
    const result = await impatient.send(body('s1'));
    assert.is(result.kind, 'unknown');
  } finally {
    impatient.close();
    await slow.close();
  }
});

test('a wrong secret is an AuthError that does not contain the secret', async () => {
  const emulator = await startEmulator({ appSecret: 'the-right-one' });
  const transport = createTransport(config(emulator.url));
  try {
    const error = await transport.send(body('a1')).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, AuthError);
    assert.match((error as Error).message, /refused the app key\/secret \(HTTP 401\)/);
    assert.not.ok((error as Error).message.includes(SECRET));
  } finally {
    transport.close();
    await emulator.close();
  }
});

test('every request carries the JSON body, the app key and the current token, also after a refresh', async () => {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: text });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ bulkId: 'C'.repeat(64), messages: [] }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const transport = createTransport(
    config(`http://127.0.0.1:${port}`, { token: 'tok-first-1234', appSecret: undefined }),
  );
  try {
    await transport.send(body('h1'));
    await transport.send(body('h2'));
    assert.equal(
      seen.map((s) => [
        s.headers.authorization,
        s.headers['x-app-key'],
        s.headers['content-type'],
        Number(s.headers['content-length']),
        (JSON.parse(s.body) as { destinations: { messageId: string }[] }).destinations[0]
          ?.messageId,
      ]),
      [
        ['Bearer tok-first-1234', 'demo-app-key', 'application/json', seen[0]?.body.length, 'h1'],
        ['Bearer tok-first-1234', 'demo-app-key', 'application/json', seen[1]?.body.length, 'h2'],
      ],
    );
  } finally {
    transport.close();
    server.close();
  }

  // With an app secret: expired tokens get a 401, a refresh a new token, and the next send uses it.
  const emulator = await startEmulator({ appSecret: SECRET });
  const renewing = createTransport(config(emulator.url));
  try {
    assert.is((await renewing.send(body('e1'))).kind, 'ok');
    await fetch(`${emulator.url}/_emulator/expire-tokens`, { method: 'POST' });
    const refused = await renewing.send(body('e2'));
    assert.is(refused.kind === 'http-error' ? refused.status : refused.kind, 401);
    await renewing.refreshToken();
    assert.is((await renewing.send(body('e3'))).kind, 'ok');
    assert.is(emulator.stats().tokensIssued, 2);
  } finally {
    renewing.close();
    await emulator.close();
  }
});

test('a base URL got cannot use is not-sent, not a throw', async () => {
  const transport = createTransport(
    config('http://exa mple.invalid', { token: 'tok-123456', appSecret: undefined }),
  );
  try {
    const result = await transport.send(body('u1'));
    assert.is(result.kind, 'not-sent');
  } finally {
    transport.close();
  }
});

test('the client closes a keep-alive socket left idle, not waiting for a server that never does', async () => {
  // No Keep-Alive hint and no idle timeout on the server: only the client can close the socket.
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ bulkId: 'C'.repeat(64), messages: [] })));
  });
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const connected = once(server, 'connection');
  const { port } = server.address() as AddressInfo;
  const transport = createTransport(
    config(`http://127.0.0.1:${port}`, { token: 'tok-123456', appSecret: undefined }),
  );
  try {
    const sent = transport.send(body('k1'));
    const [socket] = (await connected) as [Socket];
    const ended = once(socket, 'end');
    assert.is((await sent).kind, 'ok');
    const started = Date.now();
    let bound: NodeJS.Timeout | undefined;
    const closedByClient = await Promise.race([
      ended.then(() => true),
      new Promise<boolean>((resolve) => (bound = setTimeout(() => resolve(false), 20_000))),
    ]);
    clearTimeout(bound);
    assert.ok(closedByClient, 'the client never closed its idle socket');
    assert.ok(Date.now() - started >= IDLE_SOCKET_MS - 100, 'closed while in use');
  } finally {
    transport.close();
    server.close();
  }
});

test('redaction finds a token percent-encoded (either case), JSON-escaped and base64-encoded at any offset', () => {
  const token = 'eyJhbGciOi/J+IUzI1NiIs"x\\y~z.T0ken-9ab44d2e';
  const forms = [
    token,
    encodeURIComponent(token),
    encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    [...Buffer.from(token)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
    JSON.stringify(token).slice(1, -1),
    JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/'),
    token.replace(/./g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ];
  for (const prefix of ['', 'B', 'Be', 'Bearer ', 'Authorization: Bearer ']) {
    for (const suffix of ['', '!', '!!', ' more']) {
      const whole = Buffer.from(`${prefix}${token}${suffix}`);
      forms.push(whole.toString('base64'), whole.toString('base64url'));
      forms.push(encodeURIComponent(whole.toString('base64')));
      forms.push(JSON.stringify(whole.toString('base64')).slice(1, -1).replace(/\//g, '\\/'));
    }
  }
  const secretParts = [token.slice(4, 20), Buffer.from(token).toString('base64').slice(4, 20)];
  for (const form of forms) {
    const out = redactSecrets(`answer: ${form} end`, [token]);
    assert.match(out, /\[redacted\]/, form);
    for (const part of secretParts) assert.not.ok(out.includes(part), `${form} -> ${out}`);
  }
  assert.is(
    redactSecrets('an ordinary answer, nothing echoed', [token]),
    'an ordinary answer, nothing echoed',
  );
});

test('redaction removes secrets, also URL-encoded', () => {
  assert.is(
    redactSecrets('token=a b+c/d and a%20b%2Bc%2Fd', ['a b+c/d']),
    'token=[redacted] and [redacted]',
  );
  assert.is(redactSecrets('nothing here', [undefined, '']), 'nothing here');
});

test.run();
