import type { MessageContent } from '../api/types.js';
import { compileSpec } from '../compile/compile-spec.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExcludedRecipient } from '../recipients/types.js';
import { StalePlanError } from '../errors.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import type { SpecReadOptions } from '../message-spec/types.js';
import type { StateStore } from '../state/types.js';
import { lookUpContents } from './look-up-contents.js';
import { contentHashOf, isSending, type Plan, type PlanEntry } from './types.js';

interface Compiled {
  phoneNumber: string;
  contentHash: string;
  vars?: Readonly<Record<string, string>>;
}

/**
 * A saved plan holds no personal data: numbers masked, no contents, no variable values. Before
 * apply or show, the specs and recipient files it was made from (their digests checked by the
 * caller) are compiled again, and each entry takes its content and vars from there — and, with
 * `numbers` (apply), each message to send its full number: same messageId, same content hash, and
 * a number that masks to the one in the plan, or the plan is refused. `options` are the config's,
 * as when the plan was made (the config's digest is checked too).
 */
export async function restoreSavedPlan(
  plan: Plan,
  file: string,
  options: SpecReadOptions = {},
  restore: { numbers: boolean } = { numbers: true },
): Promise<Plan> {
  const specs = new Set(
    plan.entries.filter((e) => contentHashOf(e) !== undefined).map((e) => e.spec),
  );
  if (specs.size === 0) return plan;
  const workspace = await loadWorkspace(plan.options.paths ?? ['specs'], options);
  const diagnostics: Diagnostic[] = [...workspace.diagnostics];
  const compiled = new Map<string, Compiled>();
  const contents: Record<string, MessageContent> = {};
  const excluded: string[] = [];
  const exclude = (row: ExcludedRecipient) => excluded.push(excludedKey(row));
  // Only the messages the plan lists are kept (a plan of many lists its first ones): memory
  // follows the plan file, not the recipient files.
  const listed = new Set<string>();
  for (const e of plan.entries) if (e.action !== 'orphan') listed.add(e.messageId);
  for (const doc of workspace.docs.filter((d) => specs.has(d.spec.name))) {
    for await (const m of compileSpec(doc, (d) => diagnostics.push(d), { exclude })) {
      if (!listed.has(m.messageId)) continue;
      compiled.set(m.messageId, {
        phoneNumber: m.phoneNumber,
        contentHash: m.contentHash,
        ...(m.vars && Object.keys(m.vars).length > 0 ? { vars: m.vars } : {}),
      });
      contents[m.contentHash] ??= m.content;
    }
  }
  const refuse = (why: string) =>
    new StalePlanError(
      `the saved plan ${file} does not match its specs and recipient files: ${why}`,
      'run `waspec plan --out` again and review the new plan',
    );
  if (hasErrors(diagnostics)) throw refuse('they no longer compile without errors');
  // The rows invalid: hold left out must be the ones the reviewer saw left out.
  const planned = (plan.excluded ?? []).filter((r) => specs.has(r.spec)).map(excludedKey);
  if (planned.sort().join('\n') !== excluded.sort().join('\n'))
    throw refuse(
      `the recipients left out by invalid: hold differ (${planned.length} in the plan, ${excluded.length} now)`,
    );
  const used: Record<string, MessageContent> = {};
  const entries = plan.entries.map((entry): PlanEntry => {
    if (entry.action === 'orphan') return entry;
    const now = compiled.get(entry.messageId);
    if (!now) throw refuse(`message ${entry.messageId} of ${entry.spec} is no longer compiled`);
    if (now.contentHash !== entry.contentHash)
      throw refuse(`message ${entry.messageId} of ${entry.spec} has other content`);
    if (entry.phoneNumber !== now.phoneNumber && entry.phoneNumber !== maskPhone(now.phoneNumber))
      throw refuse(`message ${entry.messageId} of ${entry.spec} goes to another number`);
    used[now.contentHash] ??= contents[now.contentHash] as MessageContent;
    const restored = { ...entry, ...(now.vars ? { vars: now.vars } : {}) };
    if (restore.numbers && isSending(entry)) restored.phoneNumber = now.phoneNumber;
    return restored;
  });
  return { ...plan, contents: used, entries };
}

/** What identifies an excluded row across compiles: its spec, place and reason. */
function excludedKey(row: ExcludedRecipient): string {
  return [row.spec, row.file, row.line, row.column, row.code, row.phone].join('\u0000');
}

/** A saved plan's drift entries with their earlier contents from the state (which the caller checked is the plan's). */
export async function restoreEarlierContents(
  plan: Plan,
  store: Pick<StateStore, 'read' | 'readContents'>,
): Promise<Plan> {
  if (!plan.entries.some((e) => e.action === 'drift')) return plan;
  const { previousContents, previousContentsOmitted } = await lookUpContents(
    plan.entries,
    await store.read(),
    store,
  );
  return {
    ...plan,
    ...(previousContents ? { previousContents } : {}),
    ...(previousContentsOmitted ? { previousContentsOmitted } : {}),
  };
}
