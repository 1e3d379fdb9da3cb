import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { Page } from 'playwright-core';
import { applyPolicies } from '../../src/plan/policy/apply-policies.js';
import { summarizeEntries } from '../../src/plan/summarize-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanHtml } from '../../src/report/plan-html.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { makeWorkspace, startCli } from '../helpers/cli.js';
import { outputOf } from '../helpers/wait-output.js';
import { buildFixturePlan, FIXTURE_NOW } from '../plan/fixture-plan.js';
import { withTmpDir } from '../state/tmp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(root, 'test/artifacts');

const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
if (!available)
  console.log(`  skipping browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`);

const injection = `name: example-injection
revision: 1
whatsApp:
  text: "Hello {{name}}"
recipients:
  - phoneNumber: "+41 79 302 67 29"
    vars: { name: "<script>window.pwned = 1</script><img src=x onerror=\\"window.pwned = 2\\"><a href=\\"javascript:window.pwned=3\\">x</a>" }
`;

type Win = {
  pwned?: number;
  marker?: number;
  document: { body: { innerText: string }; documentElement: { scrollWidth: number } };
};

const launch = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

type StyleWin = { getComputedStyle(el: unknown): { backgroundColor: string } };

/** The page's width as laid out: more than the viewport means a horizontal scroll bar. */
const pageWidth = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as Win).document.documentElement.scrollWidth);

(available ? test : test.skip.bind(test))(
  'preview shows every example as bubbles, updates live, and never runs injected script',
  async () => {
    const { dir, cleanup } = await makeWorkspace({});
    await cp(join(root, 'examples'), join(dir, 'examples'), {
      recursive: true,
      // examples/ci (the CI workflow example) is left out; the clone's own path may hold '/ci'.
      filter: (src) => relative(join(root, 'examples'), src).split(sep)[0] !== 'ci',
    });
    const child = startCli(['preview', 'examples', '--port', '0'], { cwd: dir });
    const out = outputOf(child);
    let browser: Browser | undefined;
    try {
      const url = (await out.waitFor(/http:\/\/127\.0\.0\.1:\d+\//)).trim();
      await out.waitFor(/run 1:/);
      browser = await launch();
      const page = await browser.newPage({ viewport: { width: 1280, height: 1240 } });
      await page.goto(url);
      await page.waitForSelector('.bubble');
      const specs = await page.$$eval(
        'section.spec',
        (nodes: Array<{ getAttribute(name: string): string | null }>) =>
          nodes.map((n) => n.getAttribute('data-spec') ?? ''),
      );
      assert.is(specs.length, 12);
      const template = page.locator('section[data-spec="example-media-template"]');
      assert.is(await template.locator('.bubble').count(), 2);
      assert.match(
        await template.locator('.button-url').first().innerText(),
        /advent\?code=ADV-15-LENA/,
      );
      assert.match(await template.locator('.button-reply').first().innerText(), /UNSUBSCRIBE/);
      assert.match(
        await page.locator('section[data-spec="example-location"] .card-location').innerText(),
        /Acme Flagship Store[\s\S]*47\.3717, 8\.5394/,
      );
      assert.match(
        await page.locator('section[data-spec="example-image"] .count').innerText(),
        /2 recipients/,
      );
      assert.match(
        await page.locator('section[data-spec="example-image"] .recipients').innerText(),
        /2 to send · \d{3}\*{4}\d{4}, \d{3}\*{4}\d{4}$/,
      );
      assert.is(
        await page.locator('nav.toc a').count(),
        12,
        'a table of contents: a link per spec',
      );
      assert.is(
        await page.locator('.bubble[data-state="send"] .badge').first().innerText(),
        'to send',
      );

      // The top of the page is docs/preview.png (refresh it with UPDATE_SCREENSHOT=1 and look at it).
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'preview.png') });
      if (process.env.UPDATE_SCREENSHOT)
        await copyFile(join(artifacts, 'preview.png'), join(root, 'docs/preview.png'));
      for (const name of specs)
        await page
          .locator(`section[data-spec="${name}"]`)
          .screenshot({ path: join(artifacts, `${name}.png`) });

      // A phone's width: every example (long URLs, audio, templates) fits without a horizontal scroll.
      await page.setViewportSize({ width: 360, height: 740 });
      assert.ok(
        (await pageWidth(page)) <= 360,
        `the page is ${await pageWidth(page)} px wide at 360`,
      );
      await page.screenshot({ path: join(artifacts, 'preview-360.png') });
      await page.setViewportSize({ width: 1280, height: 1240 });

      // Edits reach the open page without a reload: the marker on window survives.
      await page.evaluate(() => ((globalThis as unknown as Win).marker = 42));
      const textSpec = join(dir, 'examples/text.yaml');
      await writeFile(
        textSpec,
        (await readFile(textSpec, 'utf8')).replace('has shipped', 'is on its way'),
      );
      await writeFile(join(dir, 'examples/injection.yaml'), injection);
      const live = (text: string) =>
        page.waitForFunction(
          (t) => (globalThis as unknown as Win).document.body.innerText.includes(t),
          text,
          { timeout: 10_000 },
        );
      await live('is on its way');
      await live('example-injection');
      assert.is(await page.evaluate(() => (globalThis as unknown as Win).marker), 42);

      // Injected markup stays text and never runs, neither in the live update nor on a fresh load.
      const injected = page.locator('section[data-spec="example-injection"] .text');
      assert.match(
        await injected.innerText(),
        /<script>window\.pwned = 1<\/script><img src=x onerror="window\.pwned = 2">/,
      );
      assert.is(await injected.locator('script, img, a').count(), 0);
      assert.is(await page.evaluate(() => (globalThis as unknown as Win).pwned), undefined);
      await page
        .locator('section[data-spec="example-injection"]')
        .screenshot({ path: join(artifacts, 'example-injection.png') });
      await page.reload();
      await page.waitForSelector('section[data-spec="example-injection"]');
      assert.is(await page.evaluate(() => (globalThis as unknown as Win).pwned), undefined);
    } finally {
      await browser?.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('close', resolve));
      await cleanup();
    }
  },
);

/** Every state a message can be in: the fixture plan, and the same held back by the policy. */
async function statePages(dir: string): Promise<Plan[]> {
  const plain = await buildFixturePlan(join(dir, 'a'));
  const held = await buildFixturePlan(join(dir, 'b'));
  applyPolicies(held.entries, {
    policy: {
      quietHours: { from: '11:00', to: '14:00', mode: 'hold' },
      maxPerRecipient: { count: 1, per: '30d', perMs: 30 * 86_400_000 },
    },
    suppressed: new Map([['41780000001', { source: 'stop.csv', reason: 'replied STOP' }]]),
    specs: new Map(),
    state: await openFileStateStore(join(dir, 'b')).read(),
    contents: held.contents,
    now: FIXTURE_NOW,
  });
  return [plain, { ...held, summary: summarizeEntries(held.entries) }];
}

const STATES = [
  'send',
  'retry',
  'unchanged',
  'drift',
  'rejected',
  'in-doubt',
  'suppressed',
  'capped',
  'quiet-hours',
];

(available ? test : test.skip.bind(test))(
  'the HTML plan shows each state at a glance (colour, icon, word), ticks only where accepted, and fits 360 px',
  () =>
    withTmpDir(async (dir) => {
      const browser = await launch();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
        const colours = new Map<string, string>();
        await mkdir(artifacts, { recursive: true });
        for (const [i, plan] of (await statePages(dir)).entries()) {
          const file = join(dir, `plan-${i}.html`);
          await writeFile(file, renderPlanHtml(plan, { mask: true }));
          await page.setViewportSize({ width: 1280, height: 1000 });
          await page.goto(`file://${file}`);
          for (const state of STATES) {
            const bubble = page.locator(`.bubble[data-state="${state}"]`).first();
            if ((await bubble.count()) === 0) continue;
            const badge = bubble.locator('.badge');
            assert.ok(await badge.locator('svg').isVisible(), `${state} has an icon`);
            assert.ok((await badge.innerText()).length > 0, `${state} has a word`);
            colours.set(
              state,
              await badge.evaluate(
                (el) => (globalThis as unknown as StyleWin).getComputedStyle(el).backgroundColor,
              ),
            );
            // Each state's bubble with its caption, for a person to look at.
            await page
              .locator(`.bubble-row.state-${state}`)
              .first()
              .screenshot({ path: join(artifacts, `state-${state}.png`) });
          }
          // Ticks say the API accepted the message: only bubbles of messages already sent have them.
          const ticked = await page
            .locator('.bubble:has(.ticks)')
            .evaluateAll((nodes: Array<{ getAttribute(name: string): string | null }>) =>
              nodes.map((n) => n.getAttribute('data-state')),
            );
          assert.equal([...new Set(ticked)], ['unchanged']);
          assert.is(
            await page
              .locator('.bubble[data-state="send"] .ticks, .bubble[data-state="drift"] .ticks')
              .count(),
            0,
          );
          assert.is(await page.locator('nav.toc a').count(), plan.specs.length);
          assert.is(await page.locator('nav.toc a').first().getAttribute('href'), '#spec-1');
          await page.setViewportSize({ width: 360, height: 740 });
          assert.ok(
            (await pageWidth(page)) <= 360,
            `plan ${i} is ${await pageWidth(page)} px wide at 360`,
          );
          for (const box of await page
            .locator('.bubble, .diff, nav.toc')
            .evaluateAll((nodes: Array<{ getBoundingClientRect(): { right: number } }>) =>
              nodes.map((n) => n.getBoundingClientRect().right),
            ))
            assert.ok(box <= 360, `something ends at ${box} px`);
          await page.screenshot({
            path: join(artifacts, `plan-states-${i}-360.png`),
            fullPage: true,
          });
        }
        assert.equal([...colours.keys()].sort(), [...STATES].sort(), 'every state was on a page');
        assert.is(
          new Set(colours.values()).size,
          STATES.length,
          `each state has its own colour: ${JSON.stringify([...colours])}`,
        );
        const diff = page.locator('.diff').first();
        assert.match(await diff.innerText(), /Changed since it was accepted[\s\S]*Hello Ben/);
      } finally {
        await browser.close();
      }
    }),
);

test.run();
