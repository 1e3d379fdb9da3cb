import { noun } from './plural.js';
import {
  diffNote,
  diffTitle,
  type DriftDiff,
  type FieldChange,
  type WordPart,
} from './content-diff.js';
import { MAX_DIFFS_SHOWN } from './drift-pretty.js';
import { escapeHtml } from './format-text.js';

const marked = (parts: readonly WordPart[], tag: 'del' | 'ins'): string =>
  parts
    .map((p) => (p.changed ? `<${tag}>${escapeHtml(p.text)}</${tag}>` : escapeHtml(p.text)))
    .join('');

const line = (side: 'before' | 'after', html: string) =>
  `<div class="diff-${side}"><span class="sign" aria-label="${side === 'before' ? 'accepted earlier' : 'now'}">${side === 'before' ? '−' : '+'}</span><span class="value">${html}</span></div>`;

function field(change: FieldChange): string {
  const symbol = change.kind === 'changed' ? '~' : change.kind === 'added' ? '+' : '−';
  const lines =
    change.kind === 'added'
      ? line('after', `<ins>${escapeHtml(change.after)}</ins>`)
      : change.kind === 'removed'
        ? line('before', `<del>${escapeHtml(change.before)}</del>`)
        : line('before', marked(change.before, 'del')) + line('after', marked(change.after, 'ins'));
  return `<div class="diff-field diff-${change.kind}"><div class="diff-label">${symbol} ${escapeHtml(change.label)}</div>${lines}</div>`;
}

/** A drift's card under its bubble: each changed field, old over new, changed words marked. */
export function renderDriftHtml(diffs: readonly DriftDiff[]): string {
  const cards = diffs.slice(0, MAX_DIFFS_SHOWN).map((diff) => {
    const note = diffNote(diff);
    const fields = (diff.fields ?? []).map(field).join('');
    return `<div class="diff"><div class="diff-title">${escapeHtml(diffTitle(diff, diffs.length > 1))}</div>${fields}${note === undefined ? '' : `<div class="diff-note">${escapeHtml(note)}</div>`}</div>`;
  });
  const hidden = diffs.length - MAX_DIFFS_SHOWN;
  if (hidden > 0)
    cards.push(
      `<div class="diff-note">and ${hidden.toLocaleString('en-US')} other earlier ${noun(hidden, 'content')}</div>`,
    );
  return cards.join('');
}
