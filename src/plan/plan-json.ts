import { contentStoreOf } from './content-store.js';
import { varsOf, type Plan, type PlanEntry } from './types.js';
import type { VarsTable } from './vars-table.js';
import { maskDiagnostic, maskPhone, maskPhonesIn } from '../diagnostics/mask-phone.js';
import { hasInvisible, INVISIBLE } from '../diagnostics/invisible-characters.js';
import { jsonChunks, type TopMember } from './json-chunks.js';

/** The entry with its number masked, and the numbers its reason, error and variable values quote. */
export function maskEntry(entry: PlanEntry, variables?: VarsTable): PlanEntry {
  const masked: PlanEntry = {
    ...withValues(entry, variables),
    phoneNumber: maskPhone(entry.phoneNumber),
  };
  if ('hold' in masked) masked.hold = { ...masked.hold, reason: maskPhonesIn(masked.hold.reason) };
  if (masked.previous?.error !== undefined)
    masked.previous = { ...masked.previous, error: maskPhonesIn(masked.previous.error) };
  if (masked.action !== 'orphan' && typeof masked.vars === 'object')
    masked.vars = maskVars(masked.vars);
  return masked;
}

/** The entry with its variable values in place of its row in the plan's table (same key order). */
export function withValues(entry: PlanEntry, variables: VarsTable | undefined): PlanEntry {
  if (entry.action === 'orphan' || typeof entry.vars !== 'number') return entry;
  const vars = varsOf(entry, variables);
  if (vars) return { ...entry, vars };
  const { vars: _row, ...rest } = entry;
  return rest;
}

/** Variable values with the numbers they quote masked (a column of phone numbers is personal data too). */
export function maskVars(vars: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars).map(([name, value]) => [name, maskPhonesIn(value)]),
  );
}

/** Every string in a JSON value with its phone numbers masked (a content, a spec's shape). */
function maskStrings<T>(value: T): T {
  if (typeof value === 'string') return maskPhonesIn(value) as T;
  if (Array.isArray(value)) return value.map(maskStrings) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskStrings(item)]),
    ) as T;
  return value;
}

/** The plan with every phone number masked (entries, the reasons, variable values and texts they quote, and diagnostics). */
export function maskPlan(plan: Plan): Plan {
  return { ...maskPlanHead(plan), entries: plan.entries.map((e) => maskEntry(e, plan.variables)) };
}

/** maskPlan of all but the entries (left as they are: a writer masks them one by one). */
export function maskPlanHead(plan: Plan): Plan {
  return { ...maskPlanMeta(plan), contents: maskStrings(plan.contents) };
}

/** maskPlanHead but for the contents too (a writer masks them one by one). */
function maskPlanMeta(plan: Plan): Plan {
  return {
    ...plan,
    specs: plan.specs.map((spec) =>
      spec.shape ? { ...spec, shape: maskStrings(spec.shape) } : spec,
    ),
    ...(plan.previousContents ? { previousContents: maskStrings(plan.previousContents) } : {}),
    diagnostics: plan.diagnostics.map(maskDiagnostic),
  };
}

/** The plan as JSON (schemas/plan.schema.json): `plan --format json`. */
export function formatPlanJson(plan: Plan, options: { mask: boolean }): string {
  return [...planJsonChunks(plan, options)].join('');
}

/**
 * formatPlanJson in pieces, each entry and each content on its own (entries and contents masked
 * as they are written): the text of millions of them is more than one string may hold.
 */
export function* planJsonChunks(plan: Plan, options: { mask: boolean }): Generator<string> {
  const head = options.mask ? maskPlanMeta(plan) : plan;
  const { entries, contents } = plan;
  const members = Object.keys(head).map((key): TopMember => {
    if (key === 'entries')
      return [
        key,
        {
          stream: 'array',
          items: mapped(entries, (e) =>
            options.mask ? maskEntry(e, plan.variables) : withValues(e, plan.variables),
          ),
        },
      ];
    if (key === 'contents')
      return [key, { stream: 'object', members: contentMembers(contents, options.mask) }];
    return [key, head[key as keyof Plan]];
  });
  yield* jsonChunks(members);
}

function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

function* contentMembers(
  contents: Plan['contents'],
  mask: boolean,
): Generator<readonly [string, unknown]> {
  // A store's contents are read in order, never all their hashes at once.
  const store = contentStoreOf(contents);
  const pairs = store ? store.entries() : Object.entries(contents);
  for (const [hash, content] of pairs) yield [hash, mask ? maskStrings(content) : content];
}

/** JSON text with invisible characters as \u escapes (JSON.stringify leaves C1, zero-width and bidi raw). */
export function escapeInvisibleInJson(json: string): string {
  if (!hasInvisible(json)) return json;
  return json.replace(
    INVISIBLE,
    (ch: string) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
