// --check-media against a local server on 127.0.0.1 (allowed by --allow-private-media).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPrivateAddress } from '../../src/transport/private-address.js';
import { createMediaChecker } from '../../src/transport/check-media.js';
import { assertNoStackTrace, makeWorkspace, runCli } from '../helpers/cli.js';

const MB = 1024 * 1024;
const requests: string[] = [];
const pending = new Set<() => void>();

// Headers only: a HEAD answer says type and size without a body.
const FILES: Record<
  string,
  { status: number; type?: string; size?: number; headRefused?: boolean }
> = {
  '/ok.png': { status: 200, type: 'image/png', size: 1000 },
  '/ok.mp4': { status: 200, type: 'video/mp4', size: 9 * MB },
  '/wrong.png': { status: 200, type: 'text/html; charset=utf-8', size: 500 },
  '/big.png': { status: 200, type: 'image/png', size: 3 * MB },
  '/nohead.png': { status: 200, type: 'image/jpeg', size: 5 * MB, headRefused: true },
};

let server: Server;
let base = '';

test.before(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (req.url === '/slow.png') {
      // Never answers: the checker's timeout must end it.
      pending.add(() => res.destroy());
      return;
    }
    if (req.url === '/moved.png') {
      res.writeHead(302, { location: '/big.png' }).end();
      return;
    }
    const file = FILES[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'HEAD' && file.headRefused) {
      res.writeHead(405).end();
      return;
    }
    const ranged = req.method === 'GET' && req.headers.range === 'bytes=0-0';
    res.writeHead(ranged ? 206 : file.status, {
      'content-type': file.type ?? '',
      ...(ranged
        ? { 'content-range': `bytes 0-0/${file.size ?? 0}`, 'content-length': '1' }
        : { 'content-length': String(file.size ?? 0) }),
    });
    res.end(req.method === 'GET' ? 'x' : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  for (const end of pending) end();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('right, wrong type, too large, HEAD refused, slow, missing, redirected', async () => {
  const check = createMediaChecker({ allowPrivate: true, timeoutMs: 500 });
  const verdict = async (path: string, kind: 'image' | 'video' = 'image') => {
    const v = await check(`${base}${path}`, kind);
    return v.ok ? 'ok' : v.message;
  };
  assert.is(await verdict('/ok.png'), 'ok');
  assert.is(await verdict('/ok.mp4', 'video'), 'ok');
  assert.match(await verdict('/wrong.png'), /serves text\/html, not JPG, JPEG or PNG/);
  assert.match(await verdict('/big.png'), /serves 3 MB \(3,145,728 bytes\), over the API's 2 MB/);
  assert.match(await verdict('/nohead.png'), /serves 5 MB .* over the API's 2 MB/);
  assert.match(await verdict('/slow.png'), /did not answer within 0.5 s/);
  assert.match(await verdict('/missing.png'), /answers HTTP 404, not 200/);
  assert.match(await verdict('/moved.png'), /over the API's 2 MB/);
  assert.match(await verdict('/ok.png', 'video'), /serves image\/png, not MP4/);
});

test('each URL is fetched once per run', async () => {
  const check = createMediaChecker({ allowPrivate: true });
  requests.length = 0;
  await Promise.all([check(`${base}/ok.png`, 'image'), check(`${base}/ok.png`, 'image')]);
  await check(`${base}/ok.png`, 'image');
  assert.equal(requests, ['HEAD /ok.png']);
});

test('private and loopback addresses are refused unless allowed, before any request', async () => {
  const check = createMediaChecker({});
  requests.length = 0;
  const v = await check(`${base}/ok.png`, 'image');
  assert.is(v.ok, false);
  assert.match(v.ok ? '' : v.message, /127\.0\.0\.1, a private or loopback address: not fetched/);
  // A name that resolves to loopback is refused at connect time too.
  const named = await check(`${base.replace('127.0.0.1', 'localhost')}/ok.png`, 'image');
  assert.match(named.ok ? '' : named.message, /private or loopback address/);
  assert.equal(requests, []);
  for (const [address, blocked] of [
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
  ] as const)
    assert.is(isPrivateAddress(address), blocked, address);
});

test('validate --check-media: failures at the spec line of the field', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'specs/promo.yaml': `name: promo\nrevision: 1\nwhatsApp:\n  imageUrl: ${base}/big.png\nrecipients:\n  - { phoneNumber: '+41793026727' }\n`,
    'specs/ok.yaml': `name: ok\nrevision: 1\nwhatsApp:\n  imageUrl: ${base}/ok.png\nrecipients:\n  - { phoneNumber: '+41793026727' }\n`,
  });
  try {
    const refused = await runCli(['validate', '--check-media'], { cwd: dir });
    assert.is(refused.code, 1);
    assert.match(
      refused.stderr,
      /specs\/promo\.yaml:4:13 +error +the media URL names 127\.0\.0\.1/,
    );
    const checked = await runCli(['validate', '--check-media', '--allow-private-media'], {
      cwd: dir,
    });
    assert.is(checked.code, 1);
    assertNoStackTrace(checked);
    assert.match(checked.stderr, /specs\/promo\.yaml:4:13 +error +the image URL serves 3 MB/);
    assert.not.match(checked.stderr, /ok\.yaml/);
    // plan checks what it would send; the config switches it on for CI.
    await writeFile(
      join(dir, 'waspec.config.yaml'),
      'media: { check: true, allowPrivate: true }\n',
    );
    const plan = await runCli(['plan'], { cwd: dir });
    assert.is(plan.code, 1);
    assert.match(plan.stderr, /specs\/promo\.yaml:4:13 +error +the image URL serves 3 MB/);
    await writeFile(join(dir, 'waspec.config.yaml'), '');
    const plain = await runCli(['validate'], { cwd: dir });
    assert.is(plain.code, 0, plain.stderr);
  } finally {
    await cleanup();
  }
});

test.run();
