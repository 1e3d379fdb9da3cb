import { noun } from './plural.js';
import pc from 'picocolors';
import {
  diffNote,
  diffTitle,
  type DriftDiff,
  type FieldChange,
  type WordPart,
} from './content-diff.js';
import { revealInvisible } from './reveal-invisible.js';

/** Earlier contents shown per drift group; the others are counted. */
export const MAX_DIFFS_SHOWN = 3;
/** Values this short (and on one line) show as `old → new` on one line, as Terraform does. */
const ONE_LINE = 50;

type Paint = (s: string) => string;

/**
 * A word-marked value as printable lines. With colour, removed words are red and struck through,
 * added ones green and underlined; without, they are wrapped as git's --word-diff does: [-old-] {+new+}.
 */
function markedLines(
  parts: readonly WordPart[],
  side: 'before' | 'after',
  color: boolean,
): string[] {
  const c = pc.createColors(color);
  const mark: Paint = color
    ? side === 'before'
      ? (s) => c.red(c.strikethrough(s))
      : (s) => c.green(c.underline(s))
    : side === 'before'
      ? (s) => `[-${s}-]`
      : (s) => `{+${s}+}`;
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    revealInvisible(part.text)
      .split('\n')
      .forEach((segment, i) => {
        if (i > 0) {
          lines.push(line);
          line = '';
        }
        if (segment !== '') line += part.changed ? mark(segment) : segment;
      });
  }
  lines.push(line);
  return lines;
}

function fieldLines(change: FieldChange, width: number, color: boolean): string[] {
  const c = pc.createColors(color);
  const head = (symbol: string, paint: Paint) =>
    `      ${paint(symbol)} ${c.dim(`${change.label.padEnd(width)} │`)} `;
  const more = `        ${' '.repeat(width)} ${c.dim('│')} `;
  const block = (symbol: string, paint: Paint, lines: string[], first: string) =>
    lines.map((line, i) => `${i === 0 ? first : more}${paint(symbol)} ${line}`);
  if (change.kind === 'added')
    return block('+', c.green, revealInvisible(change.after).split('\n'), head('+', c.green));
  if (change.kind === 'removed')
    return block('-', c.red, revealInvisible(change.before).split('\n'), head('-', c.red));
  const before = markedLines(change.before, 'before', color);
  const after = markedLines(change.after, 'after', color);
  const plain = (parts: readonly WordPart[]) => parts.map((p) => p.text).join('');
  if (
    before.length === 1 &&
    after.length === 1 &&
    plain(change.before).length <= ONE_LINE &&
    plain(change.after).length <= ONE_LINE
  ) {
    return [`${head('~', c.yellow)}${before[0] ?? ''} ${c.dim('→')} ${after[0] ?? ''}`];
  }
  return [...block('-', c.red, before, head('~', c.yellow)), ...block('+', c.green, after, more)];
}

/** The drift of a group as Terraform shows a changed resource: ~ changed, + added, - removed fields. */
export function formatDriftPretty(diffs: readonly DriftDiff[], color: boolean): string[] {
  const c = pc.createColors(color);
  const lines: string[] = [];
  for (const diff of diffs.slice(0, MAX_DIFFS_SHOWN)) {
    const title = diffTitle(diff, diffs.length > 1);
    lines.push(c.dim(`      ${title.charAt(0).toLowerCase()}${title.slice(1)}:`));
    const fields = diff.fields ?? [];
    const width = Math.max(0, ...fields.map((f) => f.label.length));
    for (const change of fields) lines.push(...fieldLines(change, width, color));
    const note = diffNote(diff);
    if (note !== undefined) lines.push(c.dim(`      (${note})`));
  }
  const hidden = diffs.length - MAX_DIFFS_SHOWN;
  if (hidden > 0)
    lines.push(
      c.dim(`      and ${hidden.toLocaleString('en-US')} other earlier ${noun(hidden, 'content')}`),
    );
  return lines;
}
