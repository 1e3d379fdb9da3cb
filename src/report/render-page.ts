import { noun } from './plural.js';
import { locationOf } from '../diagnostics/position.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompiledPlanEntry, Plan, PlanAction, PlanEntry } from '../plan/types.js';
import { maskPhone, maskPhonesIn } from '../diagnostics/mask-phone.js';
import { summarizeEntries } from '../plan/summarize-plan.js';
import { groupDriftDiffs } from './content-diff.js';
import { renderDriftHtml } from './drift-html.js';
import { footerMark, PAGE_STATES, stateBadge } from './page-states.js';
import { ACTION_STYLE, formatPlanSummary } from './plan-summary.js';
import { stagesLines } from './plan-stages.js';
import { escapeHtml } from './format-text.js';
import { PAGE_STYLE } from './page-style.js';
import { renderBubbleContent, renderButtons } from './render-bubble.js';

export interface PreviewInput {
  plan: Plan;
  diagnostics: readonly Diagnostic[];
  mask?: boolean;
  /** An operational failure of the latest run (the state could not be read). */
  failure?: string;
}

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
const initial = (name: string) =>
  (/[a-z0-9]/i.exec(name.replace(/^[a-z]+-(?=.)/i, ''))?.[0] ?? '?').toUpperCase();

interface BubbleGroup {
  action: PlanAction;
  hash: string;
  /** Test messages to seeds (a bubble of their own, first). */
  seed: boolean;
  entries: CompiledPlanEntry[];
}

/**
 * Bubbles a spec's chat shows at most: a personalised spec has a content per recipient, and a
 * page of millions of them would be more than a browser (or one string) holds.
 */
export const MAX_BUBBLES = 100;

/** One bubble per content and state, in the plan's order of states (to send first, already sent last). */
function bubbleGroups(entries: readonly PlanEntry[]): BubbleGroup[] {
  const groups = new Map<string, BubbleGroup>();
  for (const entry of entries) {
    if (entry.action === 'orphan') continue;
    const seed = entry.seed === true;
    const key = `${entry.action}\u0000${entry.contentHash}\u0000${seed ? 'seed' : ''}`;
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = { action: entry.action, hash: entry.contentHash, seed, entries: [] }),
      );
    group.entries.push(entry);
  }
  const order = new Map(ACTION_STYLE.map((style, i) => [style.action, i]));
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.seed) - Number(a.seed) || (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0),
  );
}

function renderBubble(plan: Plan, group: BubbleGroup, mask: boolean): string {
  const content = plan.contents[group.hash];
  if (!content) return '';
  const { action, entries } = group;
  const n = entries.length;
  const shifted = entries.filter((e) => 'shift' in e && e.shift).length;
  const status = [
    `${n} ${PAGE_STATES[action].label}`,
    ...(shifted ? [`${shifted} moved out of quiet hours`] : []),
  ].join(', ');
  const samples = entries.slice(0, 3).map((e) => (mask ? maskPhone(e.phoneNumber) : e.phoneNumber));
  const more = n > 3 ? ` and ${n - 3} more` : '';
  const who = group.seed ? `${n} ${noun(n, 'seed')} (test)` : `${n} ${noun(n, 'recipient')}`;
  const footer = `<div class="footer"><span class="count">${who}</span>${footerMark(action)}</div>`;
  const kind = PAGE_STATES[action].reachesPhone ? '' : ' held';
  const diff =
    action === 'drift' ? renderDriftHtml(groupDriftDiffs(plan, [group.hash], entries, 1)) : '';
  return `<div class="bubble-row state-${action}"><div class="bubble${kind}" data-state="${action}" data-recipients="${n}">${stateBadge(action)}${renderBubbleContent(content, plan.templates)}${footer}${renderButtons(content, plan.templates)}</div></div>
${diff}<div class="recipients state-${action}">${escapeHtml(status)} · ${escapeHtml(samples.join(', '))}${more}</div>`;
}

function renderSpec(
  plan: Plan,
  id: string,
  name: string,
  file: string,
  entries: PlanEntry[],
  mask: boolean,
): string {
  const groups = bubbleGroups(entries);
  const bubbles = groups.slice(0, MAX_BUBBLES).map((group) => renderBubble(plan, group, mask));
  const hidden = groups.slice(MAX_BUBBLES);
  if (hidden.length > 0) {
    const recipients = hidden.reduce((sum, g) => sum + g.entries.length, 0);
    bubbles.push(
      `<div class="empty">${hidden.length} more ${noun(hidden.length, 'content')} to ${recipients} ${noun(recipients, 'recipient')} not shown: the page shows the first ${MAX_BUBBLES} of a spec.</div>`,
    );
  }
  const orphans = entries.filter((e) => e.action === 'orphan').length;
  const body = bubbles.length > 0 ? bubbles.join('\n') : '<div class="empty">No messages.</div>';
  return `<section class="spec" id="${id}" data-spec="${escapeHtml(name)}"><h2><span class="avatar">${escapeHtml(initial(name))}</span><span>${escapeHtml(name)}<small>${escapeHtml(file)}${orphans ? ` · ${orphans} orphan` : ''}</small></span></h2><div class="chat">${body}</div></section>`;
}

/** Specs at a glance: each a link to its chat, with a badge per state it has. */
function renderContents(
  specs: ReadonlyArray<{ id: string; name: string; entries: readonly PlanEntry[] }>,
): string {
  const items = specs.map(({ id, name, entries }) => {
    const counts = summarizeEntries(entries);
    const badges = ACTION_STYLE.filter((s) => counts[s.action] > 0).map((s) =>
      stateBadge(s.action, counts[s.action]),
    );
    return `<li><a href="#${id}">${escapeHtml(name)}</a> ${badges.join(' ')}</li>`;
  });
  return `<nav class="toc" aria-label="specs"><h2>Specs</h2><ol>${items.join('')}</ol></nav>`;
}

/** The part of the page that changes: diagnostics and a chat per spec. */
export function renderPreviewContent(input: PreviewInput): string {
  const { plan } = input;
  const mask = input.mask ?? true;
  const bySpec = new Map<string, PlanEntry[]>();
  for (const entry of plan.entries) {
    const list = bySpec.get(entry.spec);
    if (list) list.push(entry);
    else bySpec.set(entry.spec, [entry]);
  }
  const listed = plan.specs.map((s, i) => ({
    id: `spec-${i + 1}`,
    name: s.name,
    file: s.file,
    entries: bySpec.get(s.name) ?? [],
  }));
  const specs = listed.map((s) => renderSpec(plan, s.id, s.name, s.file, s.entries, mask));
  // A page of several specs opens with their list, so a reviewer can jump to each.
  const contents = listed.length > 1 ? renderContents(listed) : '';
  const failure = input.failure
    ? `<section class="diagnostics"><div class="diagnostic error">${escapeHtml(`error: ${input.failure}`)}</div></section>`
    : '';
  const stages = stagesLines(plan)
    .map((l) => `<p class="summary">${escapeHtml(l)}</p>`)
    .join('');
  return `<p class="summary">${escapeHtml(formatPlanSummary(plan.summary))}</p>${stages}${failure}${renderDiagnostics(input.diagnostics, mask)}${contents}${specs.join('\n')}`;
}

/** A whole, self-contained page (inline CSS; a script only for live updates, allowed by nonce). */
export function renderPreviewPage(
  input: PreviewInput & { live?: { nonce: string }; title?: string },
): string {
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
    input.live
      ? `connect-src 'self'; script-src 'nonce-${input.live.nonce}'`
      : "connect-src 'none'; script-src 'none'"
  }`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title ?? 'waspec preview')}</title>
<style>${PAGE_STYLE}</style></head>
<body><header><h1>${escapeHtml(input.title ?? 'waspec preview')}</h1><p>Each bubble is one distinct message in one state, as the recipient's phone shows it${input.live ? '; the page follows your edits' : ''}.</p></header>
<main id="content">${renderPreviewContent(input)}</main>
${script}</body></html>
`;
}
