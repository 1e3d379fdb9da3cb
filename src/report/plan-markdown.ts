import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan, PlanAction } from '../plan/types.js';
import { escapeMarkdown } from './escape-markdown.js';
import { groupDriftDiffs } from './content-diff.js';
import { formatDriftMarkdown } from './drift-markdown.js';
import type { ContentField } from './plan-content.js';
import { groupPlan, groupWhom, reasonOf, type EntryGroup, type SpecGroups } from './plan-groups.js';
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
import { maskPhone, maskPhonesIn } from '../diagnostics/mask-phone.js';
import { breakerPlanLine } from './breaker-trip.js';
import { ACTION_STYLE, formatPlanSummary, styleOf } from './plan-summary.js';
import { costHeadline, costRows, paceLines } from './plan-cost.js';
import { stagesLines } from './plan-stages.js';
import { revealOneLine } from './reveal-invisible.js';
import { excludedWhere, exclusionCounts } from './plan-excluded.js';
import { noun, plural } from './plural.js';

export interface MarkdownOptions {
  /** Phone numbers are masked unless this is false. */
  mask?: boolean;
  limit?: number;
  /** Most UTF-8 bytes the page may have (default 60,000: a GitHub comment holds 65,536 characters). */
  maxBytes?: number;
}

export const DEFAULT_MARKDOWN_BYTES = 60_000;

/** One step of detail; the page drops to the next until it fits. */
interface Level extends Detail {
  /** Longest field value shown, in characters. */
  fieldChars: number;
  /** Each spec's message and its groups' detail. */
  messages: boolean;
  /** Each spec's groups (else only its headline). */
  groups: boolean;
  /** Problems listed one by one. */
  problems: number;
  /** Specs listed (the summary table's rows and headlines). */
  specs: number;
}

const ALL = Number.POSITIVE_INFINITY;

/** Samples go first, then variable values and recipients, then long texts, then the messages, then the groups. */
function levels(limit: number): Level[] {
  const full: Level = {
    samples: 3,
    values: 5,
    recipients: limit,
    fieldChars: ALL,
    messages: true,
    groups: true,
    problems: ALL,
    specs: ALL,
  };
  return [
    full,
    { ...full, samples: 1 },
    { ...full, samples: 0 },
    { ...full, samples: 0, values: 3, recipients: Math.min(limit, 3) },
    { ...full, samples: 0, values: 0, recipients: 0 },
    { ...full, samples: 0, values: 0, recipients: 0, fieldChars: 300 },
    {
      ...full,
      samples: 0,
      values: 0,
      recipients: 0,
      fieldChars: 300,
      messages: false,
      problems: 20,
    },
    {
      ...full,
      samples: 0,
      values: 0,
      recipients: 0,
      fieldChars: 300,
      messages: false,
      groups: false,
      problems: 0,
    },
  ];
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The plan for a pull request comment or $GITHUB_STEP_SUMMARY, within `maxBytes`: the summary
 * table and every spec's headline always; samples, variable values, recipients and message
 * texts are dropped in that order when the whole does not fit, and a last line says what was
 * left out and where the full plan is.
 */
export function formatPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MARKDOWN_BYTES;
  const page = new Page(plan, options.mask !== false);
  const steps = levels(options.limit ?? 10);
  const full = steps[0] as Level;
  for (const level of steps) {
    const text = page.render(level, full, maxBytes);
    if (bytes(text) <= maxBytes) return text;
  }
  // Thousands of specs: list as many as fit (each step halves the rest, so this ends fast).
  const last = steps.at(-1) as Level;
  let lo = 0;
  let hi = page.specs.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytes(page.render({ ...last, specs: mid }, full, maxBytes)) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return page.render({ ...last, specs: lo }, full, maxBytes);
}

class Page {
  readonly specs: SpecGroups[];
  private readonly messages = new Map<SpecGroups, SpecMessage>();

  constructor(
    private readonly plan: Plan,
    private readonly mask: boolean,
  ) {
    this.specs = groupPlan(plan);
    for (const spec of this.specs) this.messages.set(spec, specMessage(spec, plan));
  }

  render(level: Level, full: Level, maxBytes: number): string {
    const specs = this.specs.slice(0, level.specs);
    const trip = this.plan.inputs.state.breaker;
    const out = [
      '## waspec plan',
      '',
      ...(trip ? [`> ⚠ ${escapeMarkdown(breakerPlanLine(trip))}`, ''] : []),
      `**${formatPlanSummary(this.plan.summary)}**`,
      '',
    ];
    out.push(...stagesLines(this.plan).flatMap((l) => [`**${escapeMarkdown(l)}**`, '']));
    out.push(...paceLines(this.plan).flatMap((l) => [`**${escapeMarkdown(l)}**`, '']));
    if (this.plan.cost) out.push(...costMarkdown(this.plan.cost));
    if (!valuesKept(this.plan)) out.push(`_Note: ${VALUES_NOT_KEPT}._`, '');
    out.push(`| spec | ${ACTION_STYLE.map((s) => `${s.symbol} ${s.label}`).join(' | ')} |`);
    out.push(`| --- |${ACTION_STYLE.map(() => ' ---: |').join('')}`);
    for (const spec of specs)
      out.push(
        `| ${escapeMarkdown(spec.name)} | ${ACTION_STYLE.map((s) => count(spec.counts[s.action])).join(' | ')} |`,
      );
    out.push('');
    out.push(...this.excluded(level.problems));
    out.push(...this.problems(level.problems));
    for (const spec of specs)
      out.push(...(level.groups ? this.spec(spec, level) : [`- ${this.headline(spec)}`]));
    if (!level.groups && specs.length > 0) out.push('');
    const left = leftOut(level, full, this.specs.length, this.plan.diagnostics.length);
    if (left.length > 0) {
      out.push(
        `_Left out to stay within ${count(maxBytes)} bytes: ${left.join(', ')}. The full plan: \`waspec plan --format html --out plan.html\` or \`waspec plan --format json --out plan.json\` (the HTML or JSON artifact of the CI run)._`,
      );
    }
    return `${out.join('\n').trimEnd()}\n`;
  }

  /** Recipients left out by invalid: hold: the counts per reason always, the first rows within `limit`. */
  private excluded(limit: number): string[] {
    const rows = this.plan.excluded ?? [];
    if (rows.length === 0) return [];
    const out = [
      `### Excluded: ${plural(rows.length, 'recipient')} left out, never sent`,
      '',
      '| reason | recipients |',
      '| --- | ---: |',
      ...exclusionCounts(rows).map((r) => `| ${r.label} | ${count(r.count)} |`),
      '',
    ];
    const listed = rows
      .slice(0, Math.min(limit, 5))
      .map(
        (row) =>
          `- ${escapeMarkdown(revealOneLine(excludedWhere(row)))} ${escapeMarkdown(row.phone)}: ${escapeMarkdown(revealOneLine(row.reason))}`,
      );
    if (rows.length > listed.length && listed.length > 0)
      listed.push(`- and ${count(rows.length - listed.length)} more`);
    return listed.length > 0 ? [...out, ...listed, ''] : out;
  }

  private problems(limit: number): string[] {
    const diagnostics = this.plan.diagnostics;
    if (diagnostics.length === 0) return [];
    const listed = diagnostics.slice(0, limit).map((d) => `- ${this.problem(d)}`);
    const more = diagnostics.length - listed.length;
    if (more > 0)
      listed.push(
        `- ${listed.length > 0 ? 'and ' : ''}${count(more)} ${listed.length > 0 ? 'more ' : ''}${noun(more, 'problem')}: see the log of this run or \`waspec validate\``,
      );
    return ['### Problems', '', ...listed, ''];
  }

  private problem(d: Diagnostic): string {
    const where =
      d.file === undefined
        ? ''
        : `${d.file}${d.line === undefined ? '' : `:${d.line + 1}:${(d.column ?? 0) + 1}`}: `;
    const text = this.mask ? maskPhonesIn(d.message) : d.message;
    return `**${d.severity}** ${escapeMarkdown(where)}${escapeMarkdown(text)} (${d.code})`;
  }

  private headline(spec: SpecGroups): string {
    const where = spec.info
      ? ` (${escapeMarkdown(spec.info.file)}, revision ${spec.info.revision})`
      : ' (no longer in any spec file)';
    const counts = ACTION_STYLE.filter((s) => spec.counts[s.action] > 0).map(
      (s) => `${count(spec.counts[s.action])} ${s.label}`,
    );
    return `<b>${escapeMarkdown(spec.name)}</b>${where}: ${counts.join(', ') || 'nothing'}`;
  }

  private spec(spec: SpecGroups, level: Level): string[] {
    const out = ['<details>', `<summary>${this.headline(spec)}</summary>`, ''];
    const message = this.messages.get(spec) ?? { kind: 'none' };
    if (level.messages) out.push(...this.message(message, spec.allContents, level));
    const shown = new Set<string>();
    for (const group of spec.groups) out.push(...this.group(group, message, shown, level));
    if (spec.counts.unchanged > 0)
      out.push(
        `= ${count(spec.counts.unchanged)} unchanged (already accepted with this content).`,
        '',
      );
    out.push('</details>', '');
    return out;
  }

  private message(message: SpecMessage, renders: number, level: Level): string[] {
    if (message.kind === 'none') return [];
    const cell = (f: ContentField) =>
      cut(this.mask ? maskPhonesIn(f.value) : f.value, level.fieldChars, escapeMarkdown);
    if (message.kind === 'same')
      return [
        '**Message as written**, the same for every recipient:',
        '',
        ...fieldTable(message.fields, cell),
      ];
    // Variables marked after escaping: `{{` and `}}` are never escaped, and entities inside <code> still read as text.
    const marked = (f: ContentField) =>
      cell(f).replace(/\{\{[^}]*\}\}/g, (v) => `<code>${v}</code>`);
    return [
      `**Message as written**, its variables marked (${plural(renders, 'distinct render')}):`,
      '',
      ...fieldTable(message.fields, marked),
    ];
  }

  private group(
    group: EntryGroup,
    message: SpecMessage,
    shown: Set<string>,
    level: Level,
  ): string[] {
    const style = styleOf(group.action);
    const distinct =
      group.contentCount > 1 ? ` (${count(group.contentCount)} distinct messages)` : '';
    const out = [
      `**${symbolText(group.action)} ${style.label}** to ${groupWhom(group)}${distinct}: ${style.meaning}`,
      '',
    ];
    const personal = (text: string) => (this.mask ? maskPhonesIn(text) : text);
    // The edit a reviewer judges comes first, at every level of detail (one diff of the message
    // as written is small whatever the number of recipients).
    if (group.action === 'drift') {
      const diffs = groupDriftDiffs(
        this.plan,
        group.contents,
        group.entries,
        Math.max(1, level.samples),
      );
      out.push(...formatDriftMarkdown(level.messages ? diffs : diffs.slice(0, 1)));
    }
    if (level.messages && message.kind !== 'same') {
      const picked = pickSamples(group.contents, shown, level.samples, group.contentCount);
      const single = singleRenderShown(group, picked.samples, picked.shownAbove);
      const values =
        level.values > 0 && !single && valuesKept(this.plan)
          ? countVariableValues(
              group.entries,
              variablesOf(message, group.entries, this.plan.variables),
              level.values,
              this.plan.variables,
            )
          : [];
      if (values.length > 0) {
        out.push('| variable | values |', '| --- | --- |');
        for (const v of values)
          out.push(
            `| <code>{{${escapeMarkdown(v.name)}}}</code> | ${formatValues(v, (value) => escapeMarkdown(revealOneLine(shortValue(personal(value)))))} |`,
          );
        out.push('');
      }
      const samples = picked.samples.flatMap((hash) => {
        const content = this.plan.contents[hash];
        return content ? [sampleFields(content, message, this.plan.templates)] : [];
      });
      out.push(
        ...sampleTables(samples, (f) => cut(personal(f.value), level.fieldChars, escapeMarkdown)),
      );
      if (picked.shownAbove)
        out.push(`_The ${noun(group.contentCount, 'message')} shown above._`, '');
    }
    if (group.shift)
      out.push(
        `sendAt moved to ${escapeMarkdown(group.shift.sendAt)} (${escapeMarkdown(group.shift.reason)})`,
        '',
      );
    if (level.recipients > 0) out.push(this.recipients(group, level.recipients), '');
    return out;
  }

  private recipients(group: EntryGroup, limit: number): string {
    const listed = group.entries.slice(0, limit).map((e) => {
      const reason = reasonOf(e);
      const phone = `\`${revealOneLine(this.mask ? maskPhone(e.phoneNumber) : e.phoneNumber).replace(/`/g, '')}\``;
      return reason === undefined
        ? phone
        : `${phone} (${escapeMarkdown(this.mask ? maskPhonesIn(reason) : reason)})`;
    });
    const more = group.entries.length - listed.length;
    return `Recipients: ${listed.join(', ')}${more > 0 ? ` and ${count(more)} more` : ''}`;
  }
}

/** Samples of one shape as one table, a row each; samples of different shapes (a plan without shapes) a table each. */
function sampleTables(
  samples: ReadonlyArray<readonly ContentField[]>,
  cell: (f: ContentField) => string,
): string[] {
  const labels = samples[0]?.map((f) => f.label) ?? [];
  const sameLabels = samples.every(
    (fields) => fields.map((f) => f.label).join('\u0000') === labels.join('\u0000'),
  );
  if (labels.length === 0) return [];
  if (!sameLabels)
    return samples.flatMap((fields, i) => [`Sample ${i + 1}:`, '', ...fieldTable(fields, cell)]);
  const rows = samples.map((fields, i) => `| ${i + 1} | ${fields.map(cell).join(' | ')} |`);
  return [
    `| sample | ${labels.map(escapeMarkdown).join(' | ')} |`,
    `| ---: |${labels.map(() => ' --- |').join('')}`,
    ...rows,
    '',
  ];
}

function fieldTable(fields: readonly ContentField[], cell: (f: ContentField) => string): string[] {
  return [
    '| field | value |',
    '| --- | --- |',
    ...fields.map((f) => `| ${escapeMarkdown(f.label)} | ${cell(f)} |`),
    '',
  ];
}

/** A value cut to `max` characters before escaping (entities must not be cut in half). */
function cut(value: string, max: number, escape: (text: string) => string): string {
  if (value.length <= max) return escape(value);
  return `${escape(value.slice(0, max))}… _(${count(value.length - max)} more characters)_`;
}

/** What a level leaves out that the full page would show, for the last line. */
function leftOut(level: Level, full: Level, specs: number, problems: number): string[] {
  const left: string[] = [];
  const detail = level.groups && level.messages;
  if (level.specs < specs) left.push(`${count(specs - level.specs)} of ${count(specs)} specs`);
  if (level.problems < problems)
    left.push(`${count(problems - level.problems)} of ${count(problems)} problems`);
  if (!level.groups) left.push('the groups per action (the table counts them)');
  if (!detail) left.push("each spec's message");
  if (full.samples > 0 && (!detail || level.samples < full.samples))
    left.push(
      detail && level.samples > 0 ? 'all but one sample render per group' : 'sample renders',
    );
  if (full.values > 0 && (!detail || level.values < full.values))
    left.push(detail && level.values > 0 ? 'less frequent variable values' : 'variable values');
  if (detail && level.fieldChars < full.fieldChars)
    left.push(`message fields past ${count(level.fieldChars)} characters`);
  if (full.recipients > 0 && (!level.groups || level.recipients < full.recipients))
    left.push(
      level.groups && level.recipients > 0
        ? `recipients past the first ${level.recipients}`
        : 'recipient lists',
    );
  return left;
}

/** `+` and `-` at a line start would become list items; `!`/`~` are escaped. */
function symbolText(action: PlanAction): string {
  return escapeMarkdown(styleOf(action).symbol).replace('+', '&#43;').replace(/^-$/, '&#45;');
}

/** The cost under the summary: the Action's comment shows it in its first lines. */
function costMarkdown(cost: NonNullable<Plan['cost']>): string[] {
  return [
    `**${escapeMarkdown(costHeadline(cost))}**`,
    '',
    '| | cost (messages) |',
    '| --- | ---: |',
    ...costRows(cost).map((r) => `| ${escapeMarkdown(r.label)} | ${escapeMarkdown(r.value)} |`),
    '',
  ];
}
