import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { ROOT, anchors, links, markdownPages } from './markdown.js';

test('every relative link between pages resolves, #anchors included', () => {
  const broken: string[] = [];
  const pages = markdownPages();
  assert.ok(pages.includes('README.md') && pages.includes('docs/tutorial.md'));
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const { line, target } of links(text)) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? page : normalize(join(dirname(page), decodeURI(path)));
      const where = `${page}:${line}: ${target}`;
      if (file.startsWith('..') || !existsSync(join(ROOT, file))) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined || !file.endsWith('.md') || statSync(join(ROOT, file)).isDirectory())
        continue;
      if (!anchors(readFileSync(join(ROOT, file), 'utf8')).has(anchor))
        broken.push(`${where} (no such heading)`);
    }
  }
  assert.equal(broken, []);
});

test('examples name paths that exist in a user repository', () => {
  const wrong: string[] = [];
  for (const page of markdownPages()) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    text.split('\n').forEach((line, index) => {
      if (/\$schema=(\.\.\/|\.\/)*schemas\//.test(line) || line.includes('https://…'))
        wrong.push(`${page}:${index + 1}: ${line.trim()}`);
    });
  }
  assert.equal(wrong, []);
});

test.run();
