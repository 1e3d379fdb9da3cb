import type { EntryList } from '../entry-list.js';
import type { Policy } from '../../config/policy.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { MessageContent } from '../../api/types.js';
import type { SpecDocument } from '../../message-spec/types.js';
import type { StateSnapshot } from '../../state/types.js';
import { readSuppressions, type SuppressionDigest } from '../../suppressions/file-suppressions.js';
import type { SuppressionSource } from '../../suppressions/types.js';
import {
  applyPolicies,
  type LimitFigures,
  type PolicyContext,
  type SpecPolicy,
} from './apply-policies.js';

export interface GuardOptions {
  policy?: Policy;
  suppressions?: readonly SuppressionSource[];
  allowLarge?: number;
  now: Date;
}

/**
 * Reads the suppression list and applies the policy to the classified entries (in place).
 * Returns the problems found and the digests of suppression sources that are not files.
 */
export async function guardPlan(
  entries: EntryList,
  contents: Readonly<Record<string, MessageContent>>,
  docs: readonly SpecDocument[],
  snapshot: Pick<StateSnapshot, 'messages'>,
  options: GuardOptions,
): Promise<{
  diagnostics: Diagnostic[];
  digests: SuppressionDigest[];
  limit?: LimitFigures;
}> {
  const list = await readSuppressions(options.suppressions ?? []);
  const specs = new Map<string, SpecPolicy>();
  for (const doc of docs) {
    const { category, priority, maxRecipients } = doc.spec;
    specs.set(doc.spec.name, {
      priority: priority ?? 0,
      ...(category === undefined ? {} : { category }),
      ...(maxRecipients === undefined
        ? {}
        : { maxRecipients, where: doc.locate(['maxRecipients']) }),
    });
  }
  const figures: NonNullable<PolicyContext['figures']> = {};
  const diagnostics = applyPolicies(entries, {
    figures,
    policy: options.policy ?? {},
    suppressed: list.numbers,
    specs,
    state: snapshot,
    contents,
    now: options.now,
    ...(options.allowLarge === undefined ? {} : { allowLarge: options.allowLarge }),
  });
  return {
    diagnostics: [...list.diagnostics, ...diagnostics],
    digests: list.digests,
    ...(figures.limit ? { limit: figures.limit } : {}),
  };
}
