// Reads the project's Markdown pages for the docs tests: their links, headings and runnable blocks.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README, CONTRIBUTING, every page under docs/ and bench/README.md, relative to the root. */
export function markdownPages(): string[] {
  const pages = ['README.md', 'CONTRIBUTING.md', 'bench/README.md'].filter((page) =>
    existsSync(join(ROOT, page)),
  );
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(relative(ROOT, join(ROOT, path)));
    }
  };
  walk('docs');
  return pages;
}

/** The lines outside fenced code blocks, with their 1-based line numbers. */
export function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((line, index) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opening !== undefined) fence = opening;
    else if (fence !== undefined && line.trim().startsWith(fence)) fence = undefined;
    else if (fence === undefined) out.push({ line: index + 1, text: line });
  });
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page's headings give, numbered as GitHub numbers repeated ones. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text: line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** Every Markdown link and image target outside code, with its line. */
export function links(text: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  for (const { line, text: prose } of proseLines(text)) {
    const withoutCode = prose.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
      out.push({ line, target: match[1] ?? '' });
  }
  return out;
}

export interface RunnableBlock {
  /** 1-based line of the block's opening fence. */
  line: number;
  script: string;
  /** Lines the output must contain (from an `<!-- output -->` block after it). */
  expected: string[];
}

/**
 * The shell blocks marked runnable: a ```sh block right after a `<!-- test -->` line, optionally
 * followed by an `<!-- output -->` line and a block of lines its output must contain.
 */
export function runnableBlocks(text: string): RunnableBlock[] {
  const lines = text.split('\n');
  const blocks: RunnableBlock[] = [];
  const nextNonBlank = (from: number): number => {
    let index = from;
    while (index < lines.length && lines[index]?.trim() === '') index++;
    return index;
  };
  const fenced = (start: number): { body: string[]; end: number } => {
    let end = start + 1;
    while (end < lines.length && !lines[end]?.startsWith('```')) end++;
    return { body: lines.slice(start + 1, end), end };
  };
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]?.trim() !== '<!-- test -->') continue;
    const start = nextNonBlank(index + 1);
    if (!/^```(sh|bash)\s*$/.test(lines[start] ?? ''))
      throw new Error(`line ${index + 1}: <!-- test --> is not followed by a sh block`);
    const { body, end } = fenced(start);
    let expected: string[] = [];
    const after = nextNonBlank(end + 1);
    if (lines[after]?.trim() === '<!-- output -->') {
      const outputStart = nextNonBlank(after + 1);
      expected = fenced(outputStart)
        .body.map((line) => line.trim())
        .filter((line) => line !== '');
    }
    blocks.push({ line: start + 1, script: body.join('\n'), expected });
    index = end;
  }
  return blocks;
}
