import { noun } from './plural.js';
import { locationOf } from '../diagnostics/position.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction, PlanEntry } from '../plan/types.js';
import { EntryView, type EntryList } from '../plan/entry-list.js';
import { contentIdCount, contentIds, DistinctPairs } from './distinct-contents.js';
import { maskPhone, maskPhonesIn } from '../diagnostics/mask-phone.js';
import { emptySummary } from '../plan/summarize-plan.js';
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
  entries: EntryView;
}

/**
 * Bubbles a spec's chat shows at most: a personalised spec has a content per recipient, and a
 * page of millions of them would be more than a browser (or one string) holds.
 */
export const MAX_BUBBLES = 100;

const ACTION_ORDER = new Map(ACTION_STYLE.map((style, i) => [style.action, i]));

/**
 * A spec's chat as the entries come: one bubble per content and state, kept for the first
 * MAX_BUBBLES of each state (the page shows no more), the others only counted.
 */
class SpecChat {
  readonly counts = emptySummary();
  /** Kept bubbles by sort class (seeds first, then the plan's order of states). */
  private readonly kept = new Map<number, BubbleGroup[]>();
  private readonly byPair = new Map<number, BubbleGroup>();
  /** Bubbles, and their recipients. */
  groups = 0;
  recipients = 0;

  constructor(private readonly source: EntryList) {}

  add(entry: PlanEntry, index: number, content: number, pairs: DistinctPairs, specId: number) {
    this.counts[entry.action]++;
    if (entry.action === 'orphan' || content < 0) return;
    this.recipients++;
    const seed = entry.seed === true;
    const cls = (seed ? 0 : 16) + (ACTION_ORDER.get(entry.action) ?? 0);
    const pair = cls * 2 ** 32 + content;
    if (pairs.add(specId * 32 + cls, content)) {
      this.groups++;
      const list = this.kept.get(cls) ?? [];
      this.kept.set(cls, list);
      if (list.length < MAX_BUBBLES) {
        const group: BubbleGroup = {
          action: entry.action,
          hash: entry.contentHash,
          seed,
          entries: new EntryView(this.source),
        };
        list.push(group);
        this.byPair.set(pair, group);
      }
    }
    this.byPair.get(pair)?.entries.add(index);
  }

  /** The first MAX_BUBBLES bubbles in display order. */
  shown(): BubbleGroup[] {
    return [...this.kept.keys()]
      .sort((a, b) => a - b)
      .flatMap((cls) => this.kept.get(cls) ?? [])
      .slice(0, MAX_BUBBLES);
  }
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
  chat: SpecChat,
  mask: boolean,
): string {
  const groups = chat.shown();
  const bubbles = groups.map((group) => renderBubble(plan, group, mask));
  const hidden = chat.groups - groups.length;
  if (hidden > 0) {
    const recipients = chat.recipients - groups.reduce((sum, g) => sum + g.entries.length, 0);
    bubbles.push(
      `<div class="empty">${hidden} more ${noun(hidden, 'content')} to ${recipients} ${noun(recipients, 'recipient')} not shown: the page shows the first ${MAX_BUBBLES} of a spec.</div>`,
    );
  }
  const orphans = chat.counts.orphan;
  const body = bubbles.length > 0 ? bubbles.join('\n') : '<div class="empty">No messages.</div>';
  return `<section class="spec" id="${id}" data-spec="${escapeHtml(name)}"><h2><span class="avatar">${escapeHtml(initial(name))}</span><span>${escapeHtml(name)}<small>${escapeHtml(file)}${orphans ? ` · ${orphans} orphan` : ''}</small></span></h2><div class="chat">${body}</div></section>`;
}

/** Specs at a glance: each a link to its chat, with a badge per state it has. */
function renderContents(
  specs: ReadonlyArray<{ id: string; name: string; chat: SpecChat }>,
): string {
  const items = specs.map(({ id, name, chat }) => {
    const counts = chat.counts;
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
  const chats = new Map(plan.specs.map((s) => [s.name, new SpecChat(plan.entries)]));
  const specIds = new Map(plan.specs.map((s, i) => [s.name, i]));
  const contentId = contentIds(plan.entries);
  const pairs = new DistinctPairs(contentIdCount(plan.entries));
  plan.entries.forEach((entry, index) => {
    const chat = chats.get(entry.spec);
    if (chat) chat.add(entry, index, contentId(entry, index), pairs, specIds.get(entry.spec) ?? 0);
  });
  const listed = plan.specs.map((s, i) => ({
    id: `spec-${i + 1}`,
    name: s.name,
    file: s.file,
    chat: chats.get(s.name) ?? new SpecChat(plan.entries),
  }));
  const specs = listed.map((s) => renderSpec(plan, s.id, s.name, s.file, s.chat, mask));
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
