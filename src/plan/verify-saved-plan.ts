import path from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { WaspecError } from '../errors.js';
import { isInsideRoots } from '../files/inside-workspace.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import type { StateSnapshot, StateStore } from '../state/types.js';
import { buildPlan, type BuildPlanOptions } from './build-plan.js';
import type { PlanChange } from './plan-change.js';
import { findPlanChanges } from './plan-changes.js';
import { quietHoursSincePlan } from './policy/quiet-hours-now.js';
import { digestEntries } from './entries-digest.js';
import { summarizeEntries } from './summarize-plan.js';
import { contentHashOf, PLAN_ACTIONS, type Plan, type PlanEntry } from './types.js';

/** What apply plans with besides the saved plan's own options: the config's. */
export type SavedPlanSettings = Omit<
  BuildPlanOptions,
  'paths' | 'targets' | 'retryRejected' | 'resendInDoubt' | 'allowLarge' | 'now'
>;

const HINT =
  'make a new plan with `waspec plan --out`, review it, and apply that; nothing was sent';

/** A value quoted from a saved plan (untrusted): short. */
function quote(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}…` : value;
}

function untrusted(file: string, why: string): WaspecError {
  return new WaspecError('plan-file', `The saved plan ${file} cannot be applied: ${why}.`, {
    hint: HINT,
  });
}

/**
 * Where a saved plan may point: like every other input, into the workspace (the current
 * directory), the config's folder or a place allowed by name (--allow-outside).
 */
export function savedPlanRoots(options: {
  allowOutside?: readonly string[];
  configDir?: string;
}): string[] {
  return [
    process.cwd(),
    ...(options.configDir ? [options.configDir] : []),
    ...(options.allowOutside ?? []),
  ];
}

/** The first spec path, spec or input file a saved plan names outside `roots`, in words; undefined when none. */
export async function savedPlanOutside(
  plan: Plan,
  roots: readonly string[],
): Promise<string | undefined> {
  const named = [
    ...(plan.options.paths ?? []).map((p) => ['spec path', p] as const),
    ...plan.specs.map((s) => ['spec file', s.file] as const),
    ...plan.inputs.files.map((f) => [`${f.kind} file`, f.path] as const),
  ];
  for (const [what, where] of named) {
    if (where === '' || where.includes('\0') || !(await isInsideRoots(path.resolve(where), roots)))
      return `its ${what} ${JSON.stringify(quote(where))} is outside the workspace (${roots.map((r) => path.relative(process.cwd(), r) || '.').join(', ')})`;
  }
  return undefined;
}

/** What the plan file says of itself that can be checked without any other file. */
function checkConsistent(plan: Plan, file: string): void {
  const seen = new Set<string>();
  for (const entry of plan.entries) {
    if (seen.has(entry.messageId))
      throw untrusted(file, `it lists message ${quote(entry.messageId)} more than once`);
    seen.add(entry.messageId);
  }
  if (plan.entriesDigest) {
    const total = PLAN_ACTIONS.reduce((n, a) => n + (plan.summary[a] ?? 0), 0);
    if (total !== plan.entriesDigest.count || plan.entries.length > total)
      throw untrusted(
        file,
        `its summary counts ${total} messages but its digest ${plan.entriesDigest.count} and it lists ${plan.entries.length}`,
      );
  }
  const counted = summarizeEntries(plan.entries);
  const wrong = PLAN_ACTIONS.find((a) => (plan.summary[a] ?? 0) !== counted[a]);
  // A plan with a digest lists only its first entries: its summary is checked against the fresh plan.
  if (wrong && !plan.entriesDigest)
    throw untrusted(
      file,
      `its summary says ${plan.summary[wrong] ?? 0} ${wrong} but it lists ${counted[wrong]}`,
    );
  const specs = new Set(plan.specs.map((s) => s.name));
  const stray = plan.entries.find((e) => e.action !== 'orphan' && !specs.has(e.spec));
  if (stray)
    throw untrusted(
      file,
      `message ${quote(stray.messageId)} is of spec ${quote(stray.spec)}, which its specs do not list`,
    );
}

/** The store with one snapshot for every read of this check (the staleness check and the plan agree on it). */
function withSnapshot(store: StateStore, snapshot: StateSnapshot): StateStore {
  return {
    location: store.location,
    ...(store.tempDir === undefined ? {} : { tempDir: store.tempDir }),
    read: () => Promise.resolve(snapshot),
    append: (records) => store.append(records),
    lock: (options) => store.lock(options),
    readContents: (hashes) => store.readContents(hashes),
    ...(store.suppressions ? { suppressions: store.suppressions } : {}),
  };
}

/** What the plan does with an entry besides its action: held from what, moved to when. */
function treatment(entry: PlanEntry): string {
  const held = 'hold' in entry ? entry.hold.was : '';
  const shift = 'shift' in entry && entry.shift ? entry.shift.sendAt : '';
  return `${held} ${shift}`;
}

/** The stage an entry is sent in, as the plan says it ('' for none). */
function stageText(entry: PlanEntry): string {
  return 'stage' in entry && entry.stage ? entry.stage : '';
}

/** Words for what the state records of a message, for a refusal. */
function stateSays(entry: PlanEntry): string {
  if (entry.previous === undefined) return 'the state has no record of it';
  const outcome = entry.previous.outcome === 'in-flight' ? 'in doubt' : entry.previous.outcome;
  return `the state records it ${outcome}`;
}

/** The first entry of `saved` that is not what `fresh` (a plan of the same inputs now) says, in words. */
function firstMismatch(saved: Plan, fresh: Plan): string | undefined {
  const now = new Map(fresh.entries.map((e) => [e.messageId, e]));
  for (const entry of saved.entries) {
    const id = quote(entry.messageId);
    const expected = now.get(entry.messageId);
    if (!expected) return `message ${id} of spec ${quote(entry.spec)} is not one its inputs give`;
    now.delete(entry.messageId);
    if (entry.action !== expected.action)
      return `message ${id} says ${quote(entry.action)}, but ${stateSays(expected)}: a plan of its inputs says ${expected.action}`;
    if (entry.spec !== expected.spec || entry.revision !== expected.revision)
      return `message ${id} is of another spec or revision than its spec files give`;
    if (contentHashOf(entry) !== contentHashOf(expected))
      return `message ${id} of ${quote(entry.spec)} has other content than its spec and recipient files give`;
    if (treatment(entry) !== treatment(expected))
      return `message ${id} is not held or moved as the policy and the state decide now`;
    if (stageText(entry) !== stageText(expected))
      return `message ${id} is in stage ${quote(stageText(entry) || 'none')}, but a plan of its inputs sends it in ${stageText(expected) || 'no stage'}`;
    if (
      expected.action !== 'orphan' &&
      entry.phoneNumber !== expected.phoneNumber &&
      entry.phoneNumber !== maskPhone(expected.phoneNumber)
    )
      return `message ${id} goes to another number than its recipient files give`;
  }
  const [missing] = now.values();
  if (missing)
    return `it leaves out message ${quote(missing.messageId)} of spec ${quote(missing.spec)}, which its inputs give (${missing.action})`;
  return undefined;
}

/**
 * For a plan saved with a digest: its listed entries must be the fresh plan's first ones, its
 * summary the fresh plan's, and its digest that of every fresh entry.
 */
function digestMismatch(saved: Plan, fresh: Plan): string | undefined {
  const digest = saved.entriesDigest;
  if (!digest) return undefined;
  const listed = firstMismatch(saved, {
    ...fresh,
    entries: fresh.entries.slice(0, saved.entries.length),
  });
  if (listed) return listed;
  const counted = summarizeEntries(fresh.entries);
  const wrong = PLAN_ACTIONS.find((a) => (saved.summary[a] ?? 0) !== counted[a]);
  if (wrong)
    return `it says ${saved.summary[wrong] ?? 0} ${wrong}, but a plan of its inputs says ${counted[wrong]}`;
  const now = digestEntries(fresh.entries);
  if (now.count !== digest.count)
    return `it has ${digest.count} messages, but a plan of its inputs has ${now.count}`;
  if (now.sha256 !== digest.sha256)
    return 'its entries digest is not that of a plan of its inputs (a message differs in action, content, number, treatment or stage)';
  return undefined;
}

/** Specs and input files listed in the saved plan that a plan of its paths now does not list, or the reverse. */
function inputsMismatch(saved: Plan, fresh: Plan): string | undefined {
  const spec = (s: Plan['specs'][number]) =>
    JSON.stringify([s.name, s.file, s.revision, s.batchSize, ...(s.rollout ? [s.rollout] : [])]);
  const a = new Set(saved.specs.map(spec));
  const b = new Set(fresh.specs.map(spec));
  if (a.size !== saved.specs.length || [...a].some((s) => !b.has(s)) || a.size !== b.size)
    return 'its specs are not those its spec paths give';
  const input = (f: Plan['inputs']['files'][number]) => JSON.stringify([f.kind, f.path, f.sha256]);
  const fa = new Set(saved.inputs.files.map(input));
  const fb = new Set(fresh.inputs.files.map(input));
  if (fa.size !== fb.size || [...fa].some((f) => !fb.has(f)))
    return 'its input files are not those its specs and the config name';
  const stages = (p: Plan) => JSON.stringify(p.stages ?? null);
  if (stages(saved) !== stages(fresh))
    return 'its stages (seed, canary, rest) are not those a plan of its inputs gives';
  return undefined;
}

/**
 * The plan apply sends for a saved plan, which is untrusted (an artifact that travelled between
 * jobs): refused when stale, and otherwise planned again from its own hash-checked inputs and
 * options against the state as it is now. Its entries must be exactly that plan's (each message
 * once, each with the action the state justifies, no spec or file the plan of its paths does not
 * give); what is sent comes from that plan, never from the file. A stale plan gives what changed.
 */
export async function verifySavedPlan(
  saved: Plan,
  file: string,
  settings: SavedPlanSettings & { configDir?: string },
): Promise<{ plan: Plan } | { changes: PlanChange[] }> {
  const { configDir, store, ...rest } = settings;
  const outside = await savedPlanOutside(
    saved,
    savedPlanRoots({
      ...(rest.allowOutside ? { allowOutside: rest.allowOutside } : {}),
      ...(configDir ? { configDir } : {}),
    }),
  );
  if (outside) throw untrusted(file, outside);
  checkConsistent(saved, file);
  const at = new Date();
  const snapshot = await store.read();
  const state = withSnapshot(store, snapshot);
  // Quiet hours are checked below, with the contents the files give (a saved plan has none).
  const changes = await findPlanChanges(saved, state, {
    policy: {},
    at,
    ...(rest.suppressions ? { suppressions: rest.suppressions } : {}),
  });
  if (changes.length > 0) return { changes };
  const fresh = await buildPlan({
    ...rest,
    store: state,
    paths: saved.options.paths ?? ['specs'],
    targets: saved.options.targets,
    retryRejected: saved.options.retryRejected,
    resendInDoubt: saved.options.resendInDoubt,
    ...(saved.options.allowLarge === undefined ? {} : { allowLarge: saved.options.allowLarge }),
    now: at,
  });
  // Its diagnostics say why (the caller prints them and sends nothing).
  if (hasErrors(fresh.diagnostics)) return { plan: fresh };
  const quiet =
    rest.policy && quietHoursSincePlan({ ...saved, contents: fresh.contents }, rest.policy, at);
  if (quiet) return { changes: [quiet] };
  const why =
    inputsMismatch(saved, fresh) ??
    (saved.entriesDigest ? digestMismatch(saved, fresh) : firstMismatch(saved, fresh));
  if (why) throw untrusted(file, why);
  return { plan: fresh };
}
