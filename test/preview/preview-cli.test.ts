import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { get } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWorkspace, startCli } from '../helpers/cli.js';
import { outputOf } from '../helpers/wait-output.js';

interface Preview {
  version: number;
  html: string;
  summary: { send: number } | null;
}

const fetchJson = (url: string) =>
  new Promise<Preview>((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(JSON.parse(body) as Preview));
    }).on('error', reject);
  });

const spec = (text: string) =>
  `name: hello\nrevision: 1\nwhatsApp:\n  text: "${text}"\nrecipients:\n  - phoneNumber: "+41 79 100 00 01"\n  - phoneNumber: "+41 79 100 00 02"\n`;

test('waspec preview serves the plan, re-renders on an edit and exits 0 on SIGTERM', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'specs/hello.yaml': spec('Hi *there*') });
  const child = startCli(['preview', '--port', '0'], { cwd: dir });
  const out = outputOf(child);
  try {
    const url = (await out.waitFor(/http:\/\/127\.0\.0\.1:\d+\//)).trim();
    await out.waitFor(/run 1: Plan: 2 to send/);
    const first = await fetchJson(`${url}api/preview`);
    assert.is(first.summary?.send, 2);
    assert.match(first.html, /Hi <strong>there<\/strong>/);
    assert.match(first.html, /2 recipients/);
    assert.not.match(first.html, /41791000001/);

    await writeFile(join(dir, 'specs/hello.yaml'), spec('Bye <b>now</b>'));
    await out.waitFor(/run 2:/);
    const second = await fetchJson(`${url}api/preview`);
    assert.ok(second.version > first.version);
    assert.match(second.html, /Bye &#60;b&#62;now&#60;\/b&#62;/);

    await writeFile(join(dir, 'specs/hello.yaml'), 'name: hello\nwhatsApp: [\n');
    await out.waitFor(/run 3: .*error/);
    assert.match((await fetchJson(`${url}api/preview`)).html, /specs\/hello\.yaml:\d+:\d+/);

    child.kill('SIGTERM');
    assert.is(await new Promise((resolve) => child.on('close', resolve)), 0);
  } finally {
    child.kill('SIGKILL');
    await cleanup();
  }
});

test.run();
