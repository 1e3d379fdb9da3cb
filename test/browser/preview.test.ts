import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
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
    vars: { name: "<script>window.pwned = 1</script><img src=x onerror=\\"window.pwned = 2\\"><a href=\\"javascript:window.pwned=3\\">x</a>" }
`;

type Win = { pwned?: number; marker?: number; document: { body: { innerText: string } } };

(available ? test : test.skip)('preview shows every example as bubbles, updates live, and never runs injected script', async () => {
  const { dir, cleanup } = await makeWorkspace({});
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 1240 } });
    await page.goto(url);
    await page.waitForSelector('.bubble');
    const specs = await page.$$eval('section.spec', (nodes) => nodes.map((n) => n.getAttribute('data-spec') ?? ''));
    assert.is(specs.length, 11);
    const template = page.locator('section[data-spec="example-media-template"]');
    assert.is(await template.locator('.bubble').count(), 2);
    assert.match(await template.locator('.button-url').first().innerText(), /advent\?code=ADV-15-LENA/);
    assert.match(await template.locator('.button-reply').first().innerText(), /UNSUBSCRIBE/);
    assert.match(await page.locator('section[data-spec="example-location"] .card-location').innerText(), /Acme Flagship Store[\s\S]*47\.3717, 8\.5394/);
    assert.match(await page.locator('section[data-spec="example-image"] .count').innerText(), /2 recipients/);
    assert.match(await page.locator('section[data-spec="example-image"] .recipients').innerText(), /2 to send · \d{3}\*{4}\d{4}, \d{3}\*{4}\d{4}$/);

    // The top of the page is docs/preview.png (refresh it with UPDATE_SCREENSHOT=1 and look at it).
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'preview.png') });
    if (process.env.UPDATE_SCREENSHOT) await copyFile(join(artifacts, 'preview.png'), join(root, 'docs/preview.png'));
    for (const name of specs) await page.locator(`section[data-spec="${name}"]`).screenshot({ path: join(artifacts, `${name}.png`) });

    // Edits reach the open page without a reload: the marker on window survives.
    await page.evaluate(() => ((globalThis as unknown as Win).marker = 42));
    const textSpec = join(dir, 'examples/text.yaml');
    await writeFile(textSpec, (await readFile(textSpec, 'utf8')).replace('has shipped', 'is on its way'));
    await writeFile(join(dir, 'examples/injection.yaml'), injection);
    const live = (text: string) => page.waitForFunction((t) => (globalThis as unknown as Win).document.body.innerText.includes(t), text, { timeout: 10_000 });
    await live('is on its way');
    await live('example-injection');
    assert.is(await page.evaluate(() => (globalThis as unknown as Win).marker), 42);

    // Injected markup stays text and never runs, neither in the live update nor on a fresh load.
    const injected = page.locator('section[data-spec="example-injection"] .text');
    assert.match(await injected.innerText(), /<script>window\.pwned = 1<\/script><img src=x onerror="window\.pwned = 2">/);
    assert.is(await injected.locator('script, img, a').count(), 0);
    assert.is(await page.evaluate(() => (globalThis as unknown as Win).pwned), undefined);
    await page.locator('section[data-spec="example-injection"]').screenshot({ path: join(artifacts, 'example-injection.png') });
    await page.reload();
    await page.waitForSelector('section[data-spec="example-injection"]');
    assert.is(await page.evaluate(() => (globalThis as unknown as Win).pwned), undefined);
  } finally {
    await browser?.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    await cleanup();
  }
});

test.run();
