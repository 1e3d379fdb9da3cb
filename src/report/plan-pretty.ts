import pc from 'picocolors';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { groupDriftDiffs } from './content-diff.js';
import { formatDriftPretty } from './drift-pretty.js';
import { groupPlan, groupWhom, reasonOf, type EntryGroup, type SpecGroups } from './plan-groups.js';
import { maskPhone, maskPhonesIn } from '../diagnostics/mask-phone.js';
import {
  countVariableValues,
  formatValues,
  pickSamples,
  sampleFields,
  shortValue,
  singleRenderShown,
  specMessage,
  valuesKept,
  VALUES_NOT_KEPT,
  variablesOf,
  type Detail,
  type SpecMessage,
} from './plan-messages.js';
import { breakerPlanLine } from './breaker-trip.js';
import { ACTION_STYLE, formatPlanSummary, styleOf } from './plan-summary.js';
import { costHeadline, costRows, paceLines } from './plan-cost.js';
import { stagesLines } from './plan-stages.js';
import { revealInvisible, revealOneLine } from './reveal-invisible.js';
import { excludedWhere, exclusionCounts } from './plan-excluded.js';
import { noun, plural } from './plural.js';

export interface PrettyOptions {
  color: boolean;
  mask: boolean;
  /** Recipients listed per message before `and N more` (default 10). */
  limit?: number;
}

type Paint = (s: string) => string;
type Painters = Record<PlanAction | 'bold' | 'dim', Paint>;

function painters(color: boolean): Painters {
  const c = pc.createColors(color);
  return {
    send: c.green,
    retry: c.yellow,
    drift: c.yellow,
    rejected: c.red,
    'in-doubt': c.magenta,
    orphan: c.dim,
    unchanged: c.dim,
    suppressed: c.red,
    capped: c.cyan,
    'quiet-hours': c.cyan,
    limit: c.cyan,
    bold: c.bold,
    dim: c.dim,
  };
}

/** The plan for a terminal: summary, legend, then per spec its message once and what happens to whom. */
export function formatPlanPretty(plan: Plan, options: PrettyOptions): string {
  const paint = painters(options.color);
  const trip = plan.inputs.state.breaker;
  const out: string[] = [
    ...(trip ? [paint.bold(`⚠ ${breakerPlanLine(trip)}`), ''] : []),
    paint.bold(formatPlanSummary(plan.summary)),
    '',
  ];
  const stages = stagesLines(plan);
  if (stages.length > 0) out.push(...stages.map((l) => paint.bold(l)), '');
  const pace = paceLines(plan);
  if (pace.length > 0) out.push(...pace.map((l) => paint.bold(l)), '');
  if (plan.cost)
    out.push(paint.bold(costHeadline(plan.cost)), ...table(costRows(plan.cost), paint), '');
  if (!valuesKept(plan)) out.push(paint.dim(`Note: ${VALUES_NOT_KEPT}.`), '');
  out.push(
    paint.dim(`Legend: ${ACTION_STYLE.map((s) => `${s.symbol} ${s.label}`).join('  ')}`),
    '',
  );
  const detail: Detail = { samples: 3, values: 5, recipients: options.limit ?? 10 };
  for (const spec of groupPlan(plan)) {
    const where = spec.info
      ? ` (${revealOneLine(spec.info.file)}, revision ${spec.info.revision})`
      : ' (no longer in any spec file)';
    out.push(`${paint.bold(revealOneLine(spec.name))}${paint.dim(where)}`);
    const message = specMessage(spec, plan);
    out.push(...formatMessage(message, spec, paint, options.mask));
    const shown = new Set<string>();
    for (const group of spec.groups)
      out.push(...formatGroup(group, plan, message, shown, paint, options, detail));
    if (spec.counts.unchanged > 0)
      out.push(paint.unchanged(`  = ${spec.counts.unchanged.toLocaleString('en-US')} unchanged`));
    out.push('');
  }
  if (plan.entries.length === 0)
    out.push('Nothing in scope: no messages compiled and none in the state.', '');
  out.push(...formatExcluded(plan, paint, options.limit ?? 10));
  if (hasErrors(plan.diagnostics)) {
    out.push(paint.rejected(`The plan has errors (see above): fix them before applying.`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Recipients left out by invalid: hold: counts per reason, then the first rows where they are. */
function formatExcluded(plan: Plan, paint: Painters, limit: number): string[] {
  const rows = plan.excluded ?? [];
  if (rows.length === 0) return [];
  const out = [
    paint.bold(
      `Excluded: ${plural(rows.length, 'recipient')} left out (invalid: hold, duplicates: first), never sent`,
    ),
  ];
  for (const { label, count } of exclusionCounts(rows))
    out.push(`  ✗ ${count.toLocaleString('en-US')} ${label}`);
  for (const row of rows.slice(0, limit))
    out.push(
      `    ${paint.dim(revealOneLine(excludedWhere(row)))} ${revealOneLine(row.phone)} ${paint.dim(`(${revealOneLine(row.reason)})`)}`,
    );
  if (rows.length > limit)
    out.push(paint.dim(`    … and ${(rows.length - limit).toLocaleString('en-US')} more`));
  return [...out, ''];
}

/** Labelled rows (`label │ value`, values over several lines), labels padded to one width. */
function table(
  rows: ReadonlyArray<{ label: string; value: string }>,
  paint: Painters,
  mark: Paint = (s) => s,
): string[] {
  // Labels can be variable names from a spec (`{{[any text]}}`): shown escaped like values.
  const shown = rows.map((r) => ({ label: revealOneLine(r.label), value: r.value }));
  const width = Math.max(...shown.map((r) => r.label.length));
  return shown.flatMap((r) => {
    const [first = '', ...rest] = revealInvisible(r.value).split('\n');
    return [
      `      ${paint.dim(`${r.label.padEnd(width)} │`)} ${mark(first)}`,
      ...rest.map((more) => `      ${' '.repeat(width)} ${paint.dim('│')} ${mark(more)}`),
    ];
  });
}

/** `3 to send, 4,996 unchanged, 1 rejected`: the spec's messages per category. */
function categoryCounts(spec: SpecGroups): string {
  return ACTION_STYLE.filter((s) => spec.counts[s.action] > 0)
    .map((s) => `${spec.counts[s.action].toLocaleString('en-US')} ${s.label}`)
    .join(', ');
}

function formatMessage(
  message: SpecMessage,
  spec: SpecGroups,
  paint: Painters,
  mask: boolean,
): string[] {
  if (message.kind === 'none') return [];
  const fields = mask
    ? message.fields.map((f) => ({ ...f, value: maskPhonesIn(f.value) }))
    : message.fields;
  const counts = categoryCounts(spec);
  if (message.kind === 'same')
    return [
      paint.dim(`  message as written · the same for every recipient · ${counts}`),
      ...table(fields, paint),
    ];
  const marked: Paint = (line) =>
    line.replace(/\{\{[^}]*\}\}/g, (v) => paint.bold(paint.capped(v)));
  const n = message.variables.length;
  const renders = spec.allContents > 0 ? ` · ${plural(spec.allContents, 'distinct render')}` : '';
  const what = `${plural(n, 'variable')}${renders} · ${counts}`;
  return [paint.dim(`  message as written · ${what}`), ...table(fields, paint, marked)];
}

function formatGroup(
  group: EntryGroup,
  plan: Plan,
  message: SpecMessage,
  shown: Set<string>,
  paint: Painters,
  options: PrettyOptions,
  detail: Detail,
): string[] {
  const style = styleOf(group.action);
  const n = group.entries.length;
  const distinct =
    group.contentCount > 1
      ? ` · ${group.contentCount.toLocaleString('en-US')} distinct messages`
      : '';
  const lines = [
    `  ${paint[group.action](`${style.symbol} ${style.label}`)} ${paint.dim(`· ${groupWhom(group)}${distinct} · ${style.meaning}`)}`,
  ];
  // The edit a reviewer judges comes first.
  if (group.action === 'drift')
    lines.push(
      ...formatDriftPretty(
        groupDriftDiffs(plan, group.contents, group.entries, Math.max(1, detail.samples)),
        options.color,
      ),
    );
  if (message.kind !== 'same') {
    const { samples, shownAbove } = pickSamples(
      group.contents,
      shown,
      detail.samples,
      group.contentCount,
    );
    const rows = countVariableValues(
      group.entries,
      singleRenderShown(group, samples, shownAbove) || !valuesKept(plan)
        ? []
        : variablesOf(message, group.entries, plan.variables),
      detail.values,
      plan.variables,
    ).map((v) => ({
      label: `{{${v.name}}}`,
      value: formatValues(v, (value) =>
        revealOneLine(shortValue(options.mask ? maskPhonesIn(value) : value)),
      ),
    }));
    samples.forEach((hash, i) => {
      const content = plan.contents[hash];
      if (!content) return;
      const fields = sampleFields(content, message, plan.templates).map((f) => ({
        ...f,
        value: options.mask ? maskPhonesIn(f.value) : f.value,
      }));
      // Of a shape, one field (a text) needs no label: the message above says which it is.
      const [only] = fields;
      const value =
        only && fields.length === 1 && message.kind === 'shape'
          ? only.value
          : fields.map((f) => `${f.label}: ${f.value}`).join('\n');
      rows.push({ label: `sample ${i + 1}`, value });
    });
    if (rows.length > 0) lines.push(...table(rows, paint));
    if (shownAbove)
      lines.push(paint.dim(`      (${noun(group.contentCount, 'the message')} shown above)`));
  }
  // A saved plan (untrusted) carries the shift as written.
  if (group.shift)
    lines.push(
      `      ${paint.dim('sendAt now │')} ${revealOneLine(group.shift.sendAt)} ${paint.dim(`(${revealOneLine(group.shift.reason)})`)}`,
    );
  const listed = group.entries.slice(0, detail.recipients).map((e) => {
    const phone = revealOneLine(options.mask ? maskPhone(e.phoneNumber) : e.phoneNumber);
    const reason = reasonOf(e);
    return reason === undefined ? phone : `${phone} ${paint.dim(`(${revealOneLine(reason)})`)}`;
  });
  const more = n - listed.length;
  lines.push(
    `      to ${listed.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`,
  );
  return lines;
}
