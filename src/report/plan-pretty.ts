import pc from 'picocolors';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { describeContent } from './plan-content.js';
import { groupPlan, reasonOf, type EntryGroup } from './plan-groups.js';
import { maskPhone } from '../recipients/mask-phone.js';
import { ACTION_STYLE, formatPlanSummary, styleOf } from './plan-summary.js';
import { revealInvisible, revealOneLine } from './reveal-invisible.js';

export interface PrettyOptions {
  color: boolean;
  mask: boolean;
  /** Recipients listed per message before `and N more` (default 10). */
  limit?: number;
}

type Paint = (s: string) => string;

function painters(color: boolean): Record<PlanAction | 'bold' | 'dim', Paint> {
  const c = pc.createColors(color);
  return { send: c.green, retry: c.yellow, drift: c.yellow, rejected: c.red, 'in-doubt': c.magenta, orphan: c.dim, unchanged: c.dim, suppressed: c.red, capped: c.cyan, 'quiet-hours': c.cyan, bold: c.bold, dim: c.dim };
}

/** The plan for a terminal: summary, legend, then per spec each distinct message once. */
export function formatPlanPretty(plan: Plan, options: PrettyOptions): string {
  const paint = painters(options.color);
  const out: string[] = [paint.bold(formatPlanSummary(plan.summary)), ''];
  out.push(paint.dim(`Legend: ${ACTION_STYLE.map((s) => `${s.symbol} ${s.label}`).join('  ')}`), '');
  for (const spec of groupPlan(plan)) {
    const where = spec.info ? ` (${revealOneLine(spec.info.file)}, revision ${spec.info.revision})` : ' (no longer in any spec file)';
    out.push(`${paint.bold(revealOneLine(spec.name))}${paint.dim(where)}`);
    const shown = new Set<string>();
    for (const group of spec.groups) out.push(...formatGroup(group, plan, shown, paint, options));
    if (spec.counts.unchanged > 0) out.push(paint.unchanged(`  = ${spec.counts.unchanged.toLocaleString('en-US')} unchanged`));
    out.push('');
  }
  if (plan.entries.length === 0) out.push('Nothing in scope: no messages compiled and none in the state.', '');
  if (hasErrors(plan.diagnostics)) {
    out.push(paint.rejected(`The plan has errors (see above): fix them before applying.`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function formatGroup(group: EntryGroup, plan: Plan, shown: Set<string>, paint: Record<PlanAction | 'bold' | 'dim', Paint>, options: PrettyOptions): string[] {
  const style = styleOf(group.action);
  const n = group.entries.length;
  const lines = [`  ${paint[group.action](`${style.symbol} ${style.label}`)} ${paint.dim(`· ${n.toLocaleString('en-US')} ${n === 1 ? 'recipient' : 'recipients'} · ${style.meaning}`)}`];
  const content = group.contentHash === undefined ? undefined : plan.contents[group.contentHash];
  if (content && group.contentHash !== undefined) {
    if (shown.has(group.contentHash)) {
      lines.push(paint.dim('      (the message shown above)'));
    } else {
      shown.add(group.contentHash);
      const fields = describeContent(content, plan.templates);
      const width = Math.max(...fields.map((f) => f.label.length));
      for (const f of fields) {
        const [first = '', ...rest] = revealInvisible(f.value).split('\n');
        lines.push(`      ${paint.dim(`${f.label.padEnd(width)} │`)} ${first}`);
        for (const more of rest) lines.push(`      ${' '.repeat(width)} ${paint.dim('│')} ${more}`);
      }
    }
  }
  if (group.shift) lines.push(`      ${paint.dim('sendAt now │')} ${group.shift.sendAt} ${paint.dim(`(${group.shift.reason})`)}`);
  const limit = options.limit ?? 10;
  const listed = group.entries.slice(0, limit).map((e) => {
    const phone = revealOneLine(options.mask ? maskPhone(e.phoneNumber) : e.phoneNumber);
    const reason = reasonOf(e);
    return reason === undefined ? phone : `${phone} ${paint.dim(`(${revealOneLine(reason)})`)}`;
  });
  const more = n - listed.length;
  lines.push(`      to ${listed.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`);
  return lines;
}
