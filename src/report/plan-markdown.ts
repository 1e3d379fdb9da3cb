import { locationOf } from '../diagnostics/position.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { escapeMarkdown } from './escape-markdown.js';
import { describeContent } from './plan-content.js';
import { groupPlan, reasonOf, type EntryGroup, type SpecGroups } from './plan-groups.js';
import { maskPhone, maskPhonesIn } from '../recipients/mask-phone.js';
import { ACTION_STYLE, formatPlanSummary, styleOf } from './plan-summary.js';
import { revealOneLine } from './reveal-invisible.js';

export interface MarkdownOptions {
  /** Phone numbers are masked unless this is false. */
  mask?: boolean;
  limit?: number;
}

/** The plan for a pull request comment or $GITHUB_STEP_SUMMARY. */
export function formatPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const mask = options.mask !== false;
  const specs = groupPlan(plan);
  const out = ['## waspec plan', '', `**${formatPlanSummary(plan.summary)}**`, ''];
  out.push(`| spec | ${ACTION_STYLE.map((s) => `${s.symbol} ${s.label}`).join(' | ')} |`);
  out.push(`| --- |${ACTION_STYLE.map(() => ' ---: |').join('')}`);
  for (const spec of specs) {
    out.push(`| ${escapeMarkdown(spec.name)} | ${ACTION_STYLE.map((s) => spec.counts[s.action].toLocaleString('en-US')).join(' | ')} |`);
  }
  out.push('');
  out.push(...formatDiagnostics(plan.diagnostics, mask));
  for (const spec of specs) out.push(...formatSpec(spec, plan, mask, options.limit ?? 10));
  return `${out.join('\n').trimEnd()}\n`;
}

function formatDiagnostics(diagnostics: readonly Diagnostic[], mask: boolean): string[] {
  if (diagnostics.length === 0) return [];
  const lines = diagnostics.map((d) => {
    const where = d.file === undefined ? '' : `${locationOf(d)}: `;
    const text = mask ? maskPhonesIn(d.message) : d.message;
    return `- **${d.severity}** ${escapeMarkdown(where)}${escapeMarkdown(text)} (${d.code})`;
  });
  return ['### Problems', '', ...lines, ''];
}

function formatSpec(spec: SpecGroups, plan: Plan, mask: boolean, limit: number): string[] {
  const where = spec.info ? ` (${escapeMarkdown(spec.info.file)}, revision ${spec.info.revision})` : ' (no longer in any spec file)';
  const counts = ACTION_STYLE.filter((s) => spec.counts[s.action] > 0).map((s) => `${spec.counts[s.action].toLocaleString('en-US')} ${s.label}`);
  const out = ['<details>', `<summary><b>${escapeMarkdown(spec.name)}</b>${where}: ${counts.join(', ') || 'nothing'}</summary>`, ''];
  const shown = new Set<string>();
  for (const group of spec.groups) out.push(...formatGroup(group, plan, shown, mask, limit));
  if (spec.counts.unchanged > 0) out.push(`= ${spec.counts.unchanged.toLocaleString('en-US')} unchanged (already accepted with this content).`, '');
  out.push('</details>', '');
  return out;
}

function formatGroup(group: EntryGroup, plan: Plan, shown: Set<string>, mask: boolean, limit: number): string[] {
  const style = styleOf(group.action);
  const n = group.entries.length;
  const out = [`**${symbolText(group.action)} ${style.label}** to ${n.toLocaleString('en-US')} ${n === 1 ? 'recipient' : 'recipients'}: ${style.meaning}`, ''];
  const content = group.contentHash === undefined ? undefined : plan.contents[group.contentHash];
  if (content && group.contentHash !== undefined) {
    if (shown.has(group.contentHash)) {
      out.push('_The message shown above._', '');
    } else {
      shown.add(group.contentHash);
      out.push('| field | value |', '| --- | --- |');
      for (const f of describeContent(content, plan.templates)) out.push(`| ${escapeMarkdown(f.label)} | ${escapeMarkdown(f.value)} |`);
      out.push('');
    }
  }
  if (group.shift) out.push(`sendAt moved to ${escapeMarkdown(group.shift.sendAt)} (${escapeMarkdown(group.shift.reason)})`, '');
  const listed = group.entries.slice(0, limit).map((e) => {
    const reason = reasonOf(e);
    const phone = `\`${revealOneLine(mask ? maskPhone(e.phoneNumber) : e.phoneNumber).replace(/`/g, '')}\``;
    return reason === undefined ? phone : `${phone} (${escapeMarkdown(reason)})`;
  });
  const more = n - listed.length;
  out.push(`Recipients: ${listed.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`, '');
  return out;
}

/** `+` and `-` at a line start would become list items; `!`/`~` are escaped. */
function symbolText(action: PlanAction): string {
  return escapeMarkdown(styleOf(action).symbol).replace('+', '&#43;').replace(/^-$/, '&#45;');
}
