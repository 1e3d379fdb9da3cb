import { locationOf } from '../diagnostics/position.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction, PlanEntry } from '../plan/types.js';
import { maskPhone, maskPhonesIn } from '../recipients/mask-phone.js';
import { formatPlanSummary } from './plan-summary.js';
import { escapeHtml } from './format-text.js';
import { PAGE_STYLE } from './page-style.js';
import { ICONS } from './icons.js';
import { renderBubbleContent, renderButtons } from './render-bubble.js';

export interface PreviewInput {
  plan: Plan;
  diagnostics: readonly Diagnostic[];
  mask?: boolean;
  /** An operational failure of the latest run (the state could not be read). */
  failure?: string;
}

const ACTION_WORDS: Record<PlanAction, string> = {
  send: 'to send', retry: 'to retry', unchanged: 'already sent', drift: 'drift', rejected: 'rejected', 'in-doubt': 'in doubt', orphan: 'orphan',
  suppressed: 'suppressed', capped: 'capped', 'quiet-hours': 'in quiet hours',
};

function renderDiagnostics(diagnostics: readonly Diagnostic[], mask: boolean): string {
  if (diagnostics.length === 0) return '';
  const rows = diagnostics.map((d) => {
    const where = d.file === undefined ? '' : `${locationOf(d)} `;
    const shown = (text: string) => escapeHtml(mask ? maskPhonesIn(text) : text);
    const hint = d.hint ? `<div class="hint">${shown(d.hint)}</div>` : '';
    return `<div class="diagnostic ${d.severity}"><span class="where">${escapeHtml(where)}</span>${shown(`${d.severity}: ${d.message} [${d.code}]`)}${hint}</div>`;
  });
  return `<section class="diagnostics" aria-label="problems">${rows.join('')}</section>`;
}

/** The letter in a chat's avatar: the first letter after a common prefix like `example-`. */
const initial = (name: string) => (/[a-z0-9]/i.exec(name.replace(/^[a-z]+-(?=.)/i, ''))?.[0] ?? '?').toUpperCase();

function renderSpec(plan: Plan, name: string, file: string, entries: PlanEntry[], mask: boolean): string {
  const groups = new Map<string, PlanEntry[]>();
  for (const entry of entries) {
    if (entry.action === 'orphan' || !entry.contentHash) continue;
    groups.set(entry.contentHash, [...(groups.get(entry.contentHash) ?? []), entry]);
  }
  const bubbles = [...groups].map(([hash, group]) => {
    const content = plan.contents[hash];
    if (!content) return '';
    const counts = new Map<PlanAction, number>();
    for (const e of group) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
    const shifted = group.filter((e) => e.shift).length;
    const status = [...[...counts].map(([a, n]) => `${n} ${ACTION_WORDS[a]}`), ...(shifted ? [`${shifted} moved out of quiet hours`] : [])].join(', ');
    const samples = group.slice(0, 3).map((e) => (mask ? maskPhone(e.phoneNumber) : e.phoneNumber));
    const more = group.length > 3 ? ` and ${group.length - 3} more` : '';
    const who = `${group.length} recipient${group.length === 1 ? '' : 's'}`;
    const footer = `<div class="footer"><span class="count">${who}</span><span class="ticks">${ICONS.ticks}</span></div>`;
    return `<div class="bubble-row"><div class="bubble" data-recipients="${group.length}">${renderBubbleContent(content, plan.templates)}${footer}${renderButtons(content, plan.templates)}</div></div>
<div class="recipients">${escapeHtml(status)} · ${escapeHtml(samples.join(', '))}${more}</div>`;
  });
  const orphans = entries.filter((e) => e.action === 'orphan').length;
  const body = bubbles.length > 0 ? bubbles.join('\n') : '<div class="empty">No messages.</div>';
  return `<section class="spec" data-spec="${escapeHtml(name)}"><h2><span class="avatar">${escapeHtml(initial(name))}</span><span>${escapeHtml(name)}<small>${escapeHtml(file)}${orphans ? ` · ${orphans} orphan` : ''}</small></span></h2><div class="chat">${body}</div></section>`;
}

/** The part of the page that changes: diagnostics and a chat per spec. */
export function renderPreviewContent(input: PreviewInput): string {
  const { plan } = input;
  const mask = input.mask ?? true;
  const bySpec = new Map<string, PlanEntry[]>();
  for (const entry of plan.entries) bySpec.set(entry.spec, [...(bySpec.get(entry.spec) ?? []), entry]);
  const specs = plan.specs.map((s) => renderSpec(plan, s.name, s.file, bySpec.get(s.name) ?? [], mask));
  const failure = input.failure ? `<section class="diagnostics"><div class="diagnostic error">${escapeHtml(`error: ${input.failure}`)}</div></section>` : '';
  return `<p class="summary">${escapeHtml(formatPlanSummary(plan.summary))}</p>${failure}${renderDiagnostics(input.diagnostics, mask)}${specs.join('\n')}`;
}

/** A whole, self-contained page (inline CSS; a script only for live updates, allowed by nonce). */
export function renderPreviewPage(input: PreviewInput & { live?: { nonce: string }; title?: string }): string {
  const script = input.live
    ? `<script nonce="${input.live.nonce}">
const events = new EventSource('/events');
let shown = 0;
events.onmessage = async () => {
  const res = await fetch('/api/preview');
  const data = await res.json();
  // Updates can overtake each other; never replace a newer render with an older one.
  if (data.version <= shown) return;
  shown = data.version;
  document.getElementById('content').innerHTML = data.html;
  document.body.dataset.version = String(data.version);
};
</script>`
    : '';
  // Nothing but inline style and (live only) the one nonced script that fetches from this server.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; ${
    input.live ? `connect-src 'self'; script-src 'nonce-${input.live.nonce}'` : "connect-src 'none'; script-src 'none'"
  }`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title ?? 'waspec preview')}</title>
<style>${PAGE_STYLE}</style></head>
<body><header><h1>${escapeHtml(input.title ?? 'waspec preview')}</h1><p>Each bubble is one distinct message, as the recipient's phone shows it${input.live ? '; the page follows your edits' : ''}.</p></header>
<main id="content">${renderPreviewContent(input)}</main>
${script}</body></html>
`;
}
