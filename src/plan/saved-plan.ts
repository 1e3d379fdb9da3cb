import { readFile, writeFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import { WaspecError } from '../errors.js';
import { formatPlanJson } from './plan-json.js';
import type { Plan } from './types.js';

export { findPlanChanges } from './plan-changes.js';
export { restorePlanNumbers } from './restore-numbers.js';

let validator: ValidateFunction<Plan> | undefined;

/**
 * Writes the plan as JSON with every number masked, in entries and diagnostics: no personal
 * numbers in a CI artifact. apply takes them from the hash-checked recipient files (restorePlanNumbers).
 */
export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  await writeFile(file, formatPlanJson(plan, { mask: true }));
}

/** Reads and validates a saved plan (schemas/plan.schema.json). */
export async function readSavedPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const why = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new WaspecError('plan-file', `Cannot read the plan ${file}: ${why}.`, { hint: 'Make one with: waspec plan --out plan.json' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAPlan(file, 'it is not JSON');
  }
  if (typeof value === 'object' && value !== null && 'formatVersion' in value && typeof value.formatVersion === 'number' && value.formatVersion > 1) {
    throw new WaspecError('plan-file', `The plan ${file} was made by a newer waspec (format version ${value.formatVersion}).`, {
      hint: 'Upgrade waspec, or make the plan again with this version.',
    });
  }
  const validate = (validator ??= loadSchemaValidator<Plan>('plan'));
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first ? `${first.instancePath || '/'} ${first.message ?? ''}`.trim() : 'unknown problem';
    throw notAPlan(file, `it does not match the plan format (${where})`);
  }
  return value;
}

function notAPlan(file: string, why: string): WaspecError {
  return new WaspecError('plan-file', `${file} is not a waspec plan: ${why}.`, {
    hint: 'Pass a file written by `waspec plan --out FILE` (format: schemas/plan.schema.json).',
  });
}
