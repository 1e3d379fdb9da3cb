import { noun } from './plural.js';
import {
  diffNote,
  diffTitle,
  type DriftDiff,
  type FieldChange,
  type WordPart,
} from './content-diff.js';
import { MAX_DIFFS_SHOWN } from './drift-pretty.js';
import { escapeMarkdown } from './escape-markdown.js';

/** Removed words struck through, added ones underlined (GitHub renders <del> and <ins>). */
const marked = (parts: readonly WordPart[], tag: 'del' | 'ins'): string =>
  parts
    .map((p) => (p.changed ? `<${tag}>${escapeMarkdown(p.text)}</${tag}>` : escapeMarkdown(p.text)))
    .join('');

function row(change: FieldChange): string {
  const label = escapeMarkdown(change.label);
  if (change.kind === 'added')
    return `| &#43; | ${label} | | <ins>${escapeMarkdown(change.after)}</ins> |`;
  if (change.kind === 'removed')
    return `| &#45; | ${label} | <del>${escapeMarkdown(change.before)}</del> | |`;
  return `| &#126; | ${label} | ${marked(change.before, 'del')} | ${marked(change.after, 'ins')} |`;
}

/** The drift of a group as a table per earlier content: field, accepted earlier, now. */
export function formatDriftMarkdown(diffs: readonly DriftDiff[]): string[] {
  const out: string[] = [];
  for (const diff of diffs.slice(0, MAX_DIFFS_SHOWN)) {
    out.push(`${escapeMarkdown(diffTitle(diff, diffs.length > 1))}:`, '');
    if (diff.fields && diff.fields.length > 0)
      out.push(
        '| | field | accepted earlier | now |',
        '| --- | --- | --- | --- |',
        ...diff.fields.map(row),
        '',
      );
    const note = diffNote(diff);
    if (note !== undefined) out.push(`_${escapeMarkdown(note)}_`, '');
  }
  const hidden = diffs.length - MAX_DIFFS_SHOWN;
  if (hidden > 0)
    out.push(
      `_and ${hidden.toLocaleString('en-US')} other earlier ${noun(hidden, 'content')}_`,
      '',
    );
  return out;
}
