import { compileSpec } from '../compile/compile-spec.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { StalePlanError } from '../errors.js';
import { maskPhone } from '../recipients/mask-phone.js';
import { loadWorkspace } from '../spec/load-workspace.js';
import type { SpecReadOptions } from '../spec/types.js';
import { isSending, type Plan } from './types.js';


/**
 * A saved plan holds masked numbers only (it is safe as a CI artifact). Before apply, the specs
 * and recipient files it was made from (their digests already checked) are compiled again, and
 * each message to send takes its full number from there: same messageId, same content, and a
 * number that masks to the one in the plan, or the plan is refused. `options` are the config's, as
 * when the plan was made (the config's digest is checked too).
 */
export async function restorePlanNumbers(plan: Plan, file: string, options: SpecReadOptions = {}): Promise<Plan> {
  const specs = new Set(plan.entries.filter(isSending).map((e) => e.spec));
  if (specs.size === 0) return plan;
  const workspace = await loadWorkspace(plan.options.paths ?? ['specs'], options);
  const diagnostics: Diagnostic[] = [...workspace.diagnostics];
  const compiled = new Map<string, { phoneNumber: string; contentHash: string }>();
  for (const doc of workspace.docs.filter((d) => specs.has(d.spec.name))) {
    for await (const m of compileSpec(doc, (d) => diagnostics.push(d))) compiled.set(m.messageId, { phoneNumber: m.phoneNumber, contentHash: m.contentHash });
  }
  const refuse = (why: string) =>
    new StalePlanError(`the saved plan ${file} does not match its specs and recipient files: ${why}`, 'run `waspec plan --out` again and review the new plan');
  if (hasErrors(diagnostics)) throw refuse('they no longer compile without errors');
  const entries = plan.entries.map((entry) => {
    if (!isSending(entry)) return entry;
    const now = compiled.get(entry.messageId);
    if (!now) throw refuse(`message ${entry.messageId} of ${entry.spec} is no longer compiled`);
    if (now.contentHash !== entry.contentHash) throw refuse(`message ${entry.messageId} of ${entry.spec} has other content`);
    if (entry.phoneNumber !== now.phoneNumber && entry.phoneNumber !== maskPhone(now.phoneNumber)) throw refuse(`message ${entry.messageId} of ${entry.spec} goes to another number`);
    return { ...entry, phoneNumber: now.phoneNumber };
  });
  return { ...plan, entries };
}
