import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SEND_PATH, TOKEN_PATH } from '../../src/api/paths.js';
import { startEmulator } from '../../src/emulator/server.js';

const body = (messageId: string, phoneNumber = '41793026727') => ({
  bulkId: 'B'.repeat(64),
  destinations: [{ messageId, to: { phoneNumber } }],
  whatsApp: { text: 'hi' },
});

async function post(url: string, payload: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('tokens: issued for the right key and secret, expire, and are checked', async () => {
  const emulator = await startEmulator({ tokenTtlSeconds: 1 });
  try {
    const bad = await post(
      emulator.url + TOKEN_PATH,
      { app_key: 'demo-app-key', app_secret: 'wrong' },
      { 'content-type': 'application/json' },
    );
    assert.is(bad.status, 401);
    const ok = await post(
      emulator.url + TOKEN_PATH,
      { app_key: 'demo-app-key', app_secret: 'demo-app-secret' },
      { 'content-type': 'application/json', 'x-token-expire': '600' },
    );
    assert.is(ok.status, 200);
    assert.is(ok.json.ApplyType, 'Bearer');
    assert.is(ok.json.Expires, '1');
    const headers = {
      authorization: `Bearer ${String(ok.json.AccessToken)}`,
      'x-app-key': 'demo-app-key',
      'content-type': 'application/json',
    };
    assert.is((await post(emulator.url + SEND_PATH, body('m1'), headers)).status, 200);
    assert.is(
      (
        await post(emulator.url + SEND_PATH, body('m2'), {
          ...headers,
          authorization: 'Bearer nope',
        })
      ).status,
      401,
    );
    assert.is(
      (await post(emulator.url + SEND_PATH, body('m2'), { ...headers, 'x-app-key': 'other' }))
        .status,
      401,
    );
    assert.is(
      (
        await post(emulator.url + SEND_PATH, body('m2'), {
          ...headers,
          'content-type': 'text/plain',
        })
      ).status,
      415,
    );
    await new Promise((r) => setTimeout(r, 1100));
    assert.is((await post(emulator.url + SEND_PATH, body('m3'), headers)).status, 401, 'expired');
  } finally {
    await emulator.close();
  }
});

test('bodies are validated; rejected numbers; duplicates counted', async () => {
  const emulator = await startEmulator({ rejectNumbers: ['41793026728'] });
  const headers = {
    authorization: 'Bearer demo-token',
    'x-app-key': 'demo-app-key',
    'content-type': 'application/json',
  };
  try {
    const invalid = await post(
      emulator.url + SEND_PATH,
      { ...body('x'), whatsApp: { imageUrl: 'https://a.example/a.gif' } },
      headers,
    );
    assert.is(invalid.status, 400);
    assert.match(String(invalid.json.error), /imageUrl/);
    assert.is((await post(emulator.url + SEND_PATH, '{not json', headers)).status, 400);
    const rejected = await post(emulator.url + SEND_PATH, body('r1', '41793026728'), headers);
    const messages = rejected.json.messages as Array<{ status: { groupId: number; name: string } }>;
    assert.is(messages[0]?.status.groupId, 5);
    await post(emulator.url + SEND_PATH, body('d1'), headers);
    await post(emulator.url + SEND_PATH, body('d1'), headers);
    const stats = emulator.stats();
    assert.is(stats.duplicates, 1);
    assert.is(stats.uniqueMessageIds, 2);
    assert.is(stats.rejected, 1);
  } finally {
    await emulator.close();
  }
});

test('a long-running emulator keeps only the newest requests', async () => {
  const emulator = await startEmulator({ keepRequests: 2 });
  const headers = {
    authorization: 'Bearer demo-token',
    'x-app-key': 'demo-app-key',
    'content-type': 'application/json',
  };
  try {
    for (const id of ['k1', 'k2', 'k3'])
      assert.is((await post(emulator.url + SEND_PATH, body(id), headers)).status, 200);
    assert.equal(
      emulator.requestLog().map((e) => e.messageIds),
      [['k2'], ['k3']],
    );
    assert.equal(
      emulator
        .requestBodies()
        .map((b) => (JSON.parse(b) as ReturnType<typeof body>).destinations[0]?.messageId),
      ['k2', 'k3'],
    );
    assert.is(emulator.stats().requests, 3);
  } finally {
    await emulator.close();
  }
});

test('fault injection is seeded and repeatable', async () => {
  const statuses = async () => {
    const emulator = await startEmulator({ failRate: 0.5, seed: 42 });
    const headers = {
      authorization: 'Bearer demo-token',
      'x-app-key': 'demo-app-key',
      'content-type': 'application/json',
    };
    const out: number[] = [];
    for (let i = 0; i < 12; i++)
      out.push((await post(emulator.url + SEND_PATH, body(`f${i}`), headers)).status);
    await emulator.close();
    return out;
  };
  const first = await statuses();
  assert.equal(await statuses(), first);
  assert.ok(first.some((s) => s >= 500) && first.includes(200));
});

test.run();
