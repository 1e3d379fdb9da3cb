import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
import { makeDiagnostic } from '../../src/diagnostics/diagnostic.js';
import { UsageError } from '../../src/errors.js';
import { startPreviewServer } from '../../src/preview/server.js';
import { buildFixturePlan } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, options: { host?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An SSE stream: `opened` once the server holds it, `event` with the first `data:` line. */
function listen(url: string): { opened: Promise<void>; event: Promise<string> } {
  let opened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (opened = resolve));
  const event = new Promise<string>((resolve, reject) => {
    const req = request(`${url}events`, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('retry:')) opened();
        const match = /^data: (.*)$/m.exec(text);
        if (match?.[1] !== undefined) {
          resolve(match[1]);
          req.destroy();
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
    setTimeout(() => reject(new Error('no event within 5 s')), 5000).unref();
  });
  return { opened: openedPromise, event };
}

test('serves the page, the render as JSON and an event per update', () =>
  withTmpDir(async (dir) => {
    const server = await startPreviewServer({ port: 0, host: '127.0.0.1' });
    try {
      const page = await get(server.url);
      assert.is(page.status, 200);
      const nonce = /script-src 'nonce-([^']+)'/.exec(page.body)?.[1];
      assert.ok(nonce, 'CSP allows only the nonced script');
      assert.match(page.body, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}">`));
      assert.is(
        (JSON.parse((await get(`${server.url}api/preview`)).body) as { version: number }).version,
        0,
      );

      const stream = listen(server.url);
      await stream.opened;
      const plan = await buildFixturePlan(`${dir}/state`);
      server.update({
        plan,
        diagnostics: [
          makeDiagnostic('yaml-syntax', 'bad <tag>', { file: 'specs/a.yaml', line: 2, column: 4 }),
        ],
      });
      assert.is(await stream.event, '1');
      const json = JSON.parse((await get(`${server.url}api/preview`)).body) as {
        version: number;
        html: string;
        summary: { send: number };
      };
      assert.is(json.version, 1);
      assert.is(json.summary.send, plan.summary.send);
      assert.match(json.html, /specs\/a\.yaml:3:5 <\/span>error: bad &#60;tag&#62;/);
      assert.match(json.html, /class="bubble"/);
    } finally {
      await server.close();
    }
  }));

test('refuses other methods, unknown paths and foreign Host headers (DNS rebinding)', async () => {
  const server = await startPreviewServer({ port: 0, host: '127.0.0.1' });
  try {
    assert.is((await get(server.url, { method: 'POST' })).status, 405);
    assert.is((await get(`${server.url}nope`)).status, 404);
    assert.is((await get(`${server.url}api/preview`, { host: 'evil.example:4173' })).status, 403);
    assert.is((await get(server.url, { host: 'localhost:4173' })).status, 200);
  } finally {
    await server.close();
  }
});

test('a port in use is a usage error with a hint', async () => {
  const first = await startPreviewServer({ port: 0, host: '127.0.0.1' });
  try {
    const port = Number(new URL(first.url).port);
    const error = await startPreviewServer({ port, host: '127.0.0.1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(error, UsageError);
    assert.match((error as UsageError).hint ?? '', /--port 0/);
  } finally {
    await first.close();
  }
});

test.run();
