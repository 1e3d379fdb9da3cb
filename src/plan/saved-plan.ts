import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import { WaspecError } from '../errors.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readAtMost } from '../files/read-at-most.js';
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
  const text = formatPlanJson(privatePlan(plan), { mask: true });
  // apply would refuse it: said now, not after the review.
  const size = Buffer.byteLength(text);
  if (size > MAX_PLAN_BYTES) throw tooLarge(file, size);
  await writeFile(file, text);
}

/** The plan as saved: messageIds, content hashes and the specs' shapes stay; what recipients' data rendered goes. */
export function privatePlan(plan: Plan): Plan {
  const { previousContents: _previous, previousContentsOmitted: _omitted, ...rest } = plan;
  return { ...rest, private: true, contents: {}, entries: plan.entries.map(withoutVars) };
}

/**
 * The largest saved plan read: about 600,000 messages. A plan file is untrusted (an artifact),
 * so its size is checked before it is read or parsed.
 */
export const MAX_PLAN_BYTES = 200 * 1024 * 1024;

const MIB = 1024 * 1024;

/** Reads and validates a saved plan (schemas/plan.schema.json). */
export async function readSavedPlan(file: string): Promise<Plan> {
  const text = await readPlanText(file);
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

async function readPlanText(file: string): Promise<string> {
  const opened = await openRegularFile(path.resolve(file));
  if ('refusal' in opened)
    throw new WaspecError(
      'plan-file',
      `Cannot read the plan ${file}: it ${opened.refusal.message}.`,
      {
        hint: 'Make one with: waspec plan --out plan.json',
      },
    );
  const { handle, size } = opened;
  try {
    if (size > MAX_PLAN_BYTES) throw tooLarge(file, size);
    // Read up to its size as stated: a file growing meanwhile is never read past that.
    const bytes = await readAtMost(handle, size);
    if (bytes.length > size) throw tooLarge(file, MAX_PLAN_BYTES + 1);
    return bytes.toString('utf8');
  } catch (error) {
    if (error instanceof WaspecError) throw error;
    throw new WaspecError('plan-file', `Cannot read the plan ${file}: ${String(error)}.`);
  } finally {
    await handle.close();
  }
}

function tooLarge(file: string, size: number): WaspecError {
  const mib = (n: number) => `${(n / MIB).toFixed(0)} MiB`;
  return new WaspecError(
    'plan-file',
    `The plan ${file} is ${size > MAX_PLAN_BYTES ? `${mib(size)}, over` : 'over'} the ${mib(MAX_PLAN_BYTES)} a saved plan may have.`,
    {
      hint: 'Plan and apply fewer specs at a time (--target), or apply the spec paths instead of a saved plan.',
    },
  );
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
