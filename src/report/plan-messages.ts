import type { MessageContent } from '../api/types.js';
import type { EntryList } from '../plan/entry-list.js';
import { varOf, varsOf, type Plan } from '../plan/types.js';
import type { VarsTable } from '../plan/vars-table.js';
import { describeContent, type ContentField } from './plan-content.js';
import type { EntryGroup, SpecGroups } from './plan-groups.js';

/** How one variable's values spread over a group's messages. */
export interface VariableValues {
  name: string;
  /** The most frequent values, most frequent first (ties: first seen first). */
  top: Array<{ value: string; count: number }>;
  /** The values not in `top`, and how many messages have them. */
  more: { values: number; count: number };
}

/**
 * The spec's message shown once: its only render when every message is the same (`same`), its
 * shape (the fields as written, `{{variables}}` and all) when renders differ, or nothing (`none`:
 * orphans only, or differing renders in a plan that does not carry the shape).
 */
export type SpecMessage =
  | { kind: 'same'; fields: ContentField[] }
  | { kind: 'shape'; fields: ContentField[]; variables: string[] }
  | { kind: 'none' };

/** Detail of a spec section; the markdown lowers it until the plan fits its budget. */
export interface Detail {
  /** Sample renders per group. */
  samples: number;
  /** Values listed per variable (0: no variable lines). */
  values: number;
  /** Recipients listed per group. */
  recipients: number;
}

/**
 * The spec's message: as written (template, header, body, buttons, `{{variables}}` in place) when
 * the plan carries it; `same` only where every recipient gets exactly the same content — the
 * message has no variables, or at least two recipients all share one render (so no one person's
 * text is ever shown as everyone's).
 */
export function specMessage(spec: SpecGroups, plan: Plan): SpecMessage {
  const written = spec.info?.written;
  if (written) {
    if (!JSON.stringify(written).includes('{{'))
      return { kind: 'same', fields: describeContent(written, plan.templates) };
    const hash =
      spec.compiled >= 2 && spec.allContents === 1 ? firstContent(spec, plan) : undefined;
    const render = hash === undefined ? undefined : plan.contents[hash];
    if (render) return { kind: 'same', fields: describeContent(render, plan.templates) };
    return {
      kind: 'shape',
      fields: describeContent(written, plan.templates),
      variables: spec.info?.shape?.variables ?? [],
    };
  }
  return messageOfOlderPlan(spec, plan);
}

/** The content of a compiled message of the spec (unchanged ones too), if the plan holds it. */
function firstContent(spec: SpecGroups, plan: Plan): string | undefined {
  for (const e of plan.entries)
    if (
      e.spec === spec.name &&
      e.action !== 'orphan' &&
      Object.hasOwn(plan.contents, e.contentHash)
    )
      return e.contentHash;
  return undefined;
}

/** A plan of an older waspec (no message as written): its shape, or its only render. */
function messageOfOlderPlan(spec: SpecGroups, plan: Plan): SpecMessage {
  const first = spec.groups.find((g) => g.contents.length > 0)?.contents[0];
  const content = first === undefined ? undefined : plan.contents[first];
  const shape = spec.info?.shape;
  // A saved plan away from its files has no contents: its shape is what there is to show.
  if (!content)
    return shape
      ? {
          kind: 'shape',
          fields: Object.entries(shape.fields).map(([pointer, value]) => ({
            label: pointer.replace(/^\/whatsApp\//, ''),
            value,
          })),
          variables: shape.variables,
        }
      : { kind: 'none' };
  if (spec.compiled >= 2 && spec.allContents === 1)
    return { kind: 'same', fields: describeContent(content, plan.templates) };
  if (!shape) return { kind: 'none' };
  return {
    kind: 'shape',
    fields: describeContent(withTemplates(content, shape.fields), plan.templates),
    variables: shape.variables,
  };
}

/** A render with the templated fields put back as written: the structure is the same for every render of a spec. */
function withTemplates(
  content: MessageContent,
  fields: Readonly<Record<string, string>>,
): MessageContent {
  const copy = structuredClone(content);
  for (const [pointer, template] of Object.entries(fields)) {
    const path = pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const key = path.pop();
    // Own properties only: a saved plan is untrusted, and `/__proto__/…` must not reach a prototype.
    let node: unknown = copy;
    for (const part of path) node = isOwn(node, part) ? node[part] : undefined;
    if (key !== undefined && isOwn(node, key)) node[key] = template;
  }
  return copy;
}

function isOwn(node: unknown, key: string): node is Record<string, unknown> {
  return node !== null && typeof node === 'object' && Object.hasOwn(node, key);
}

/** The fields of a render that its spec's templates fill; all of them when there is no shape. */
export function sampleFields(
  content: MessageContent,
  message: SpecMessage,
  templates?: Plan['templates'],
): ContentField[] {
  const fields = describeContent(content, templates);
  if (message.kind !== 'shape') return fields;
  const written = new Map(message.fields.map((f) => [f.label, f.value]));
  return fields.filter((f) => written.get(f.label) !== f.value);
}

/**
 * Up to `n` of the group's renders not shown earlier in its spec (they are marked shown), and
 * whether every render of the group was shown before (the formats then point up instead).
 */
export function pickSamples(
  contents: readonly string[],
  shown: Set<string>,
  n: number,
  /** How many distinct contents there are (`contents` may list only the first). */
  total = contents.length,
): { samples: string[]; shownAbove: boolean } {
  const samples: string[] = [];
  for (const hash of contents) {
    if (samples.length >= n) break;
    if (!shown.has(hash)) samples.push(hash);
  }
  samples.forEach((hash) => shown.add(hash));
  return {
    samples,
    shownAbove:
      contents.length > 0 &&
      total === contents.length &&
      samples.length === 0 &&
      contents.every((hash) => shown.has(hash)),
  };
}

/** A group of one render, shown in full: its variables' values would only repeat it. */
export function singleRenderShown(
  group: EntryGroup,
  samples: readonly string[],
  shownAbove: boolean,
): boolean {
  return group.contentCount === 1 && (samples.length === 1 || shownAbove);
}

/** The variables to summarise: the shape's, else (a plan without shapes) those its entries carry. */
export function variablesOf(
  message: SpecMessage,
  entries: EntryList,
  variables: VarsTable | undefined,
): string[] {
  if (message.kind === 'shape') return message.variables;
  if (message.kind === 'same') return [];
  const names = new Set<string>();
  for (const e of entries)
    for (const name of Object.keys(varsOf(e, variables) ?? {})) names.add(name);
  return [...names];
}

/** How each variable's values spread over the entries; the counts of each add up to entries.length. */
export function countVariableValues(
  entries: EntryList,
  names: readonly string[],
  top: number,
  variables: VarsTable | undefined,
): VariableValues[] {
  const rows = variables && tableRows(entries);
  if (variables && rows)
    return names.map((name) => {
      const counted = variables.countValues(rows, name, top);
      const listed = counted.top.reduce((n, v) => n + v.count, 0);
      return {
        name,
        top: counted.top,
        more: { values: counted.distinct - counted.top.length, count: entries.length - listed },
      };
    });
  return names.map((name) => {
    const counts = new Map<string, number>();
    for (const e of entries) {
      const value = varOf(e, name, variables) ?? '';
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    // One pass keeping the `top` largest (a sort of 100,000 distinct names costs more); the Map
    // keeps first-seen order and only a larger count moves a value up, so ties stay in that order.
    const shown: Array<{ value: string; count: number }> = [];
    for (const [value, n] of counts) {
      if (shown.length === top && (shown.at(-1)?.count ?? 0) >= n) continue;
      let at = shown.length;
      while (at > 0 && (shown[at - 1]?.count ?? 0) < n) at--;
      shown.splice(at, 0, { value, count: n });
      if (shown.length > top) shown.pop();
    }
    const listed = shown.reduce((n, v) => n + v.count, 0);
    return {
      name,
      top: shown,
      more: { values: counts.size - shown.length, count: entries.length - listed },
    };
  });
}

/** The entries' rows in the plan's table (-1: no values), when every entry names its values so. */
function tableRows(entries: EntryList): Int32Array | undefined {
  const rows = new Int32Array(entries.length);
  let i = 0;
  for (const e of entries) {
    const vars = e.action !== 'orphan' ? e.vars : undefined;
    if (vars !== undefined && typeof vars !== 'number') return undefined;
    rows[i++] = vars ?? -1;
  }
  return rows;
}

/**
 * Whether the plan holds its recipients' values: a saved plan does not (personal data), until
 * `show` or `apply` restores them from its spec and recipient files.
 */
export function valuesKept(plan: Plan): boolean {
  return !(plan.private === true && Object.keys(plan.contents).length === 0);
}

/** Said once where a saved plan's values would be (instead of every variable as empty). */
export const VALUES_NOT_KEPT =
  'values are not kept in a saved plan; run show next to the specs to see them';

const count = (n: number): string => n.toLocaleString('en-US');

/** `Anna ×3 · Ben ×2 · +4,995 more (×4,995)`, each value shown by `show`. */
export function formatValues(values: VariableValues, show: (value: string) => string): string {
  const parts = values.top.map(
    (v) => `${v.value === '' ? '(empty)' : show(v.value)} ×${count(v.count)}`,
  );
  if (values.more.values > 0)
    parts.push(`+${count(values.more.values)} more (×${count(values.more.count)})`);
  return parts.join(' · ');
}

/** A value cut to `max` characters for a one-line list. */
export function shortValue(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
