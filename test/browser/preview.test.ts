import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { makeWorkspace, startCli } from '../helpers/cli.js';
import { outputOf } from '../helpers/wait-output.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(root, 'test/artifacts');

const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
if (!available) console.log(`  skipping browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`);

const injection = `name: example-injection
revision: 1
whatsApp:
  text: "Hello {{name}}"
recipients:
  - phoneNumber: "+41 79 302 67 29"
    vars: { name: "<script>window.pwned = 1</script><img src=x onerror=\\"window.pwned = 2\\">" }
`;

(available ? test : test.skip)('preview shows every example as bubbles, updates live, and never runs injected script', async () => {
  const { dir, cleanup } = await makeWorkspace({ 'examples/injection.yaml': injection });
  await cp(join(root, 'examples'), join(dir, 'examples'), { recursive: true, filter: (src) => !src.includes('/ci') });
  const child = startCli(['preview', 'examples', '--port', '0'], { cwd: dir });
  const out = outputOf(child);
  let browser: Browser | undefined;
  try {
    const url = (await out.waitFor(/http:\/\/127\.0\.0\.1:\d+\//)).trim();
    await out.waitFor(/run 1:/);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(url);
    await page.waitForSelector('.bubble');
    const specs = await page.$$eval('section.spec', (nodes) => nodes.map((n) => n.getAttribute('data-spec')));
    assert.is(specs.length, 12);
    assert.ok(specs.includes('example-media-template'));
    const template = page.locator('section[data-spec="example-media-template"]');
    assert.is(await template.locator('.bubble').count(), 2);
    assert.match(await template.locator('.button-url').first().innerText(), /advent\?code=ADV-15-LENA/);
    assert.match(await template.locator('.button-reply').first().innerText(), /UNSUBSCRIBE/);
    assert.match(await page.locator('section[data-spec="example-location"] .card-location').innerText(), /Acme Flagship Store[\s\S]*47\.3717, 8\.5394/);
    assert.match(await page.locator('section[data-spec="example-image"] .count').innerText(), /2 recipients/);

    // Injected markup stays text and never runs.
    const injected = page.locator('section[data-spec="example-injection"] .text');
    assert.match(await injected.innerText(), /<script>window\.pwned = 1<\/script>/);
    assert.is(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);

    await mkdir(artifacts, { recursive: true });
    for (const name of specs) {
      await page.locator(`section[data-spec="${name}"]`).screenshot({ path: join(artifacts, `${name}.png`) });
    }

    // An edit reaches the open page without a reload.
    await page.evaluate(() => ((globalThis as unknown as { marker?: number }).marker = 42));
    const textSpec = join(dir, 'examples/text.yaml');
    await writeFile(textSpec, (await readFile(textSpec, 'utf8')).replace('has shipped', 'is on its way'));
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes('is on its way'), undefined, { timeout: 10_000 });
    assert.is(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 42);
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    await cleanup();
  }
});

test.run();
