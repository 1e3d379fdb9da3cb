import type { EntryList } from './entry-list.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import { WaspecError } from '../errors.js';
import { openRegularFile } from '../files/open-regular-file.js';
import { readAtMost } from '../files/read-at-most.js';
import { digestEntries } from './entries-digest.js';
import { jsonChunks, type TopMember } from './json-chunks.js';
import { maskEntry, maskPlanHead } from './plan-json.js';
import type { Plan, PlanEntry } from './types.js';

export { findPlanChanges, inputFileChanges } from './plan-changes.js';
export { restoreEarlierContents, restoreSavedPlan } from './restore-saved-plan.js';

let validator: ValidateFunction<Plan> | undefined;

/**
 * Writes the plan as JSON without personal data, so it is safe as a CI artifact: numbers masked
 * (entries and diagnostics), no rendered contents, variable values or earlier contents. apply and
 * show take those from the hash-checked spec and recipient files (restoreSavedPlan). Written entry
 * by entry (never as one string); a plan of more than SAVED_ENTRIES_LISTED entries lists the first
 * of them and keeps a digest of all (`entriesDigest`), which apply checks against its fresh plan.
 */
export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  const out = createWriteStream(file);
  let size = 0;
  const write = async (text: string) => {
    size += Buffer.byteLength(text);
    // apply would refuse it: said now, not after the review.
    if (size > MAX_PLAN_BYTES) throw tooLarge(file, size);
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    for (const chunk of savedPlanChunks(plan)) await write(chunk);
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    await rm(file, { force: true });
    throw error;
  }
}

/** Entries a saved plan lists in full; beyond, it lists these first ones and a digest of all. */
export const SAVED_ENTRIES_LISTED = 10_000;

/** The saved plan's JSON text in pieces, as JSON.stringify(plan, null, 2) gives it whole. */
function savedPlanChunks(plan: Plan): Generator<string> {
  const large = plan.entries.length > SAVED_ENTRIES_LISTED;
  const saved: Record<string, unknown> = { ...maskPlanHead(privateHead(plan)) };
  // apply plans again and journals what its fresh plan names: a large plan leaves this list out.
  if (large) delete saved.contentsToStore;
  const members: TopMember[] = [];
  for (const key of Object.keys(saved)) {
    if (key !== 'entries') {
      members.push([key, saved[key]]);
      continue;
    }
    const listed = large ? plan.entries.slice(0, SAVED_ENTRIES_LISTED) : plan.entries;
    members.push([key, { stream: 'array', items: savedEntries(listed) }]);
    if (large) members.push(['entriesDigest', digestEntries(plan.entries)]);
  }
  return jsonChunks(members);
}

function* savedEntries(entries: EntryList): Generator<PlanEntry> {
  for (const entry of entries) yield maskEntry(withoutVars(entry));
}

/** The plan as saved: messageIds, content hashes and the specs' shapes stay; what recipients' data rendered goes. */
export function privatePlan(plan: Plan): Plan {
  return { ...privateHead(plan), entries: plan.entries.map(withoutVars) };
}

/** privatePlan but for the entries (as they are: the writer takes their vars out one by one). */
function privateHead(plan: Plan): Plan {
  const {
    previousContents: _previous,
    previousContentsOmitted: _omitted,
    variables: _variables,
    ...rest
  } = plan;
  return { ...rest, private: true, contents: {} };
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
    if (bytes.length > size)
      throw new WaspecError(
        'plan-file',
        `Cannot read the plan ${file}: it grew while being read.`,
        {
          hint: 'Make one with: waspec plan --out plan.json',
        },
      );
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
