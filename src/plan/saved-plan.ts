import { readFile, writeFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import { WaspecError } from '../errors.js';
import { formatPlanJson } from './plan-json.js';
import type { Plan, PlanEntry } from './types.js';

export { findPlanChanges, inputFileChanges } from './plan-changes.js';
export { restoreEarlierContents, restoreSavedPlan } from './restore-saved-plan.js';

let validator: ValidateFunction<Plan> | undefined;

/**
 * Writes the plan as JSON without personal data, so it is safe as a CI artifact: numbers masked
 * (entries and diagnostics), no rendered contents, variable values or earlier contents. apply and
 * show take those from the hash-checked spec and recipient files (restoreSavedPlan).
 */
export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  await writeFile(file, formatPlanJson(privatePlan(plan), { mask: true }));
}

/** The plan as saved: messageIds, content hashes and the specs' shapes stay; what recipients' data rendered goes. */
export function privatePlan(plan: Plan): Plan {
  const { previousContents: _previous, previousContentsOmitted: _omitted, ...rest } = plan;
  return { ...rest, private: true, contents: {}, entries: plan.entries.map(withoutVars) };
}

/** Reads and validates a saved plan (schemas/plan.schema.json). */
export async function readSavedPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const why =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'it does not exist'
        : String(error);
    throw new WaspecError('plan-file', `Cannot read the plan ${file}: ${why}.`, {
      hint: 'Make one with: waspec plan --out plan.json',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAPlan(file, 'it is not JSON');
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'formatVersion' in value &&
    typeof value.formatVersion === 'number' &&
    value.formatVersion > 1
  ) {
    throw new WaspecError(
      'plan-file',
      `The plan ${file} was made by a newer waspec (format version ${value.formatVersion}).`,
      {
        hint: 'Upgrade waspec, or make the plan again with this version.',
      },
    );
  }
  const validate = (validator ??= loadSchemaValidator<Plan>('plan'));
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first
      ? `${first.instancePath || '/'} ${first.message ?? ''}`.trim()
      : 'unknown problem';
    throw notAPlan(file, `it does not match the plan format (${where})`);
  }
  return value;
}

function withoutVars(entry: PlanEntry): PlanEntry {
  if (entry.action === 'orphan' || entry.vars === undefined) return entry;
  const { vars: _vars, ...rest } = entry;
  return rest;
}

function notAPlan(file: string, why: string): WaspecError {
  return new WaspecError('plan-file', `${file} is not a waspec plan: ${why}.`, {
    hint: 'Pass a file written by `waspec plan --out FILE` (format: schemas/plan.schema.json).',
  });
}
