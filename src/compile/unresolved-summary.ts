import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/schema-error.js';
import { describePosition } from '../diagnostics/position.js';
import type { UnresolvedVariable } from '../render/render-message.js';
import type { Recipient } from '../recipients/types.js';

/** Recipients named in a summed-up diagnostic; the rest are counted. */
const NAMED = 3;
/** Variable names remembered for "did you mean" (a CSV has one per column). */
const MAX_NAMES = 1000;

interface Entry {
  problem: UnresolvedVariable;
  count: number;
  first: string[];
}

/**
 * One diagnostic per unresolved variable of a spec (not one per recipient): how many recipients,
 * the first few, and the nearest variable that does exist (`vouchr` → `voucher`).
 */
export function createUnresolvedSummary(specVars: readonly string[]) {
  const entries = new Map<string, Entry>();
  const names = new Set(specVars);
  return {
    add(problems: readonly UnresolvedVariable[], recipient: Recipient): void {
      if (names.size < MAX_NAMES) for (const name of Object.keys(recipient.vars)) names.add(name);
      for (const problem of problems) {
        const key = `${problem.code}\u0000${problem.name}\u0000${problem.where.line}:${problem.where.column}`;
        let entry = entries.get(key);
        if (!entry) {
          entry = { problem, count: 0, first: [] };
          entries.set(key, entry);
        }
        entry.count++;
        if (entry.first.length < NAMED)
          entry.first.push(`${recipient.phoneNumber} (${describePosition(recipient.origin)})`);
      }
    },
    diagnostics(): Diagnostic[] {
      return [...entries.values()].map(({ problem, count, first }) => {
        const who = `${count === 1 ? '1 recipient' : `${count.toLocaleString('en-US')} recipients`}: ${first.join(', ')}${count > first.length ? ` and ${(count - first.length).toLocaleString('en-US')} more` : ''}`;
        if (problem.code === 'variable-not-text') {
          return makeDiagnostic(
            'variable-not-text',
            `variable '${problem.name}' is ${problem.kind ?? 'not text'}, not text, for ${who}`,
            problem.where,
            {
              hint: `print one of its values ({{${problem.name}.field}} or {{${problem.name}.[0]}}), or loop over it with {{#each ${problem.name}}}…{{/each}}`,
            },
          );
        }
        const root = problem.name.split('.')[0] ?? problem.name;
        const suggestion = closest(
          root,
          [...names].filter((n) => n !== root),
        );
        return makeDiagnostic(
          'variable-missing',
          `variable '${problem.name}' is not defined for ${who}`,
          problem.where,
          {
            hint: suggestion
              ? `did you mean '${suggestion}'? (a variable of the spec or the recipients)`
              : `define it in the spec's vars or the recipient's vars (a CSV column); if some recipients may lack it, declare it: vars: { ${root}: { optional: true } }`,
          },
        );
      });
    },
  };
}
