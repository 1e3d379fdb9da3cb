// Makes docs/plan-comment.png, the README's picture of a plan comment: the markdown plan of
// specs/ (what the GitHub Action posts on a pull request), rendered with markdown-it and GitHub's
// own Markdown styles, framed as a comment and photographed in Debian's Chromium. It is a
// rendering, not a screenshot of github.com. Its two renderers are not dependencies of waspec:
//
//   npm run build && npm install --no-save markdown-it@15 github-markdown-css@5
//   node scripts/plan-comment-screenshot.mjs [docs/plan-comment.png]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const output = process.argv[2] ?? 'docs/plan-comment.png';
let MarkdownIt;
let css;
try {
  MarkdownIt = (await import('markdown-it')).default;
  css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
} catch {
  console.error('npm install --no-save markdown-it@15 github-markdown-css@5 first');
  process.exit(1);
}

// The plan of specs/ against an empty state: what the first pull request of these specs shows.
const state = mkdtempSync(join(tmpdir(), 'waspec-shot-'));
let markdown;
try {
  markdown = execFileSync(
    process.execPath,
    ['dist/cli/main.js', 'plan', '--format', 'markdown', '--state', state],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
} finally {
  rmSync(state, { recursive: true, force: true });
}

const body = new MarkdownIt({ html: true }).render(markdown);
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 0; padding: 16px; background: #fff; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.comment { width: 1060px; border: 1px solid #d1d9e0; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; padding: 8px 16px; font-size: 14px; color: #59636e; display: flex; align-items: center; gap: 8px; }
.head b { color: #1f2328; }
.avatar { width: 20px; height: 20px; border-radius: 4px; background: #2f81f7; color: #fff; font-size: 12px; display: inline-flex; align-items: center; justify-content: center; }
.bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 7px; font-size: 12px; }
.markdown-body { padding: 16px; font-size: 14px; }
</style></head><body><div class="comment"><div class="head"><span class="avatar">▶</span>
<b>github-actions</b><span class="bot">bot</span> commented · edited</div>
<div class="markdown-body">${body}</div></div></body></html>`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 600 } });
  await page.setContent(html);
  // A reviewer opens one spec: the second, a text message, reads best at this size.
  await page.locator('summary').nth(1).click();
  await page.locator('.comment').screenshot({ path: output });
} finally {
  await browser.close();
}
console.log(`wrote ${output}`);
