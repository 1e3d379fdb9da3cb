import { readCatalogue } from '../catalogue/read-catalogue.js';
import { templatesUsed } from '../catalogue/templates-used.js';
import type { Catalogue, CatalogueRef } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSpec } from '../compile/compile-spec.js';
import { batchSizeOf } from '../compile/group-requests.js';
import type { CompiledMessage } from '../compile/types.js';
import { recipientFiles } from '../recipients/resolve-recipients.js';
import { messageShapeOf, type MessageShape } from '../render/message-shape.js';
import { loadWorkspace } from '../spec/load-workspace.js';
import type { RecipientDefaults, SpecDocument, SpecReadOptions } from '../spec/types.js';
import type { StateStore } from '../state/types.js';
import { classifyMessages } from './classify-messages.js';
import { lookUpContents } from './look-up-contents.js';
import { CONFIG_FILE, hashFile, workspacePath } from './hash-file.js';
import { checkSendAt, selectTargets } from './plan-checks.js';
import { guardPlan, type GuardOptions } from './policy/guard-plan.js';
import { summarizeEntries } from './summarize-plan.js';
import type { Plan, PlanInputFile } from './types.js';

export interface BuildPlanOptions extends Omit<GuardOptions, 'now'> {
  /** Spec files or folders (default ['specs']). */
  paths: readonly string[];
  store: StateStore;
  retryRejected?: boolean;
  resendInDoubt?: boolean;
  /** Spec names to plan; empty means all. */
  targets?: readonly string[];
  now?: Date;
  /** Destinations per request for specs that set no batchSize (the config's batchSize; default 100). */
  defaultBatchSize?: number;
  /** Paths outside the workspace recipient files may come from (--allow-outside). */
  allowOutside?: readonly string[];
  /** The approved-template catalogue (the config's `templates:`): messages are checked against it. */
  templates?: CatalogueRef;
  /** The config's defaults for recipient files (`recipients:`). */
  recipientDefaults?: RecipientDefaults;
}

/** Loads, compiles and diffs the specs against the state. Errors are in plan.diagnostics. */
export async function buildPlan(options: BuildPlanOptions): Promise<Plan> {
  const now = options.now ?? new Date();
  const paths = options.paths.length > 0 ? [...options.paths] : ['specs'];
  const targets = [...(options.targets ?? [])];
  const workspace = await loadWorkspace(paths, specReadOptions(options));
  const snapshot = await options.store.read();
  const catalogue = options.templates ? await readCatalogue(options.templates) : undefined;
  const diagnostics: Diagnostic[] = [...workspace.diagnostics, ...(catalogue?.diagnostics ?? []), ...snapshot.diagnostics];
  const docs = selectTargets(workspace.docs, targets, diagnostics);
  for (const doc of docs) checkSendAt(doc, now, diagnostics);

  const classified = await classifyMessages(compileAll(docs, diagnostics, catalogue?.value), snapshot, {
    retryRejected: options.retryRejected ?? false,
    resendInDoubt: options.resendInDoubt ?? false,
    // Orphans only of specs in scope: --target, or the specs of the files named (not every spec of the state).
    ...(targets.length > 0 ? { scope: new Set(targets) } : workspace.namesFiles ? { scope: new Set(workspace.docs.map((d) => d.spec.name)) } : {}),
    revisions: new Map(docs.map((d) => [d.spec.name, d.spec.revision])),
  });
  // A PostgreSQL state brings its workspace's suppression table, read with the config's files.
  const suppressions = [...(options.suppressions ?? []), ...(options.store.suppressions ? [options.store.suppressions] : [])];
  const guarded = await guardPlan(classified.entries, classified.contents, workspace.docs, snapshot, { ...options, suppressions, now });
  diagnostics.push(...guarded.diagnostics);
  return {
    formatVersion: 1,
    createdAt: now.toISOString(),
    specs: docs.map((d) => ({
      name: d.spec.name,
      file: workspacePath(d.file),
      revision: d.spec.revision,
      batchSize: batchSizeOf(d, options.defaultBatchSize),
      ...withShape(messageShapeOf(d)),
    })),
    contents: classified.contents,
    ...(await lookUpContents(classified.entries, snapshot, options.store)),
    ...(catalogue?.value ? { templates: templatesUsed(classified.contents, catalogue.value) } : {}),
    entries: classified.entries,
    summary: summarizeEntries(classified.entries),
    inputs: {
      files: await inputFiles(docs, options.suppressions?.flatMap((s) => s.files) ?? [], options.templates?.path),
      state: { location: options.store.location, sha256: snapshot.digest, records: snapshot.records ?? 0 },
      ...(guarded.digests.length > 0 ? { suppressions: guarded.digests } : {}),
    },
    options: {
      retryRejected: options.retryRejected ?? false,
      resendInDoubt: options.resendInDoubt ?? false,
      targets,
      paths,
      ...(options.allowLarge === undefined ? {} : { allowLarge: options.allowLarge }),
    },
    diagnostics,
  };
}

const withShape = (shape: MessageShape | undefined) => (shape ? { shape } : {});

/** What reading the specs takes from the options: where recipient files may be, and their defaults. */
export function specReadOptions(options: SpecReadOptions): SpecReadOptions {
  return {
    ...(options.allowOutside ? { allowOutside: options.allowOutside } : {}),
    ...(options.recipientDefaults ? { recipientDefaults: options.recipientDefaults } : {}),
  };
}

async function* compileAll(docs: SpecDocument[], diagnostics: Diagnostic[], catalogue: Catalogue | undefined): AsyncIterable<CompiledMessage> {
  for (const doc of docs) yield* compileSpec(doc, (d) => diagnostics.push(d), catalogue ? { catalogue } : {});
}

async function inputFiles(docs: SpecDocument[], suppressionFiles: readonly string[], catalogueFile: string | undefined): Promise<PlanInputFile[]> {
  const files: PlanInputFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, kind: PlanInputFile['kind'], sha256: string | undefined): void => {
    if (sha256 === undefined || seen.has(path)) return;
    seen.add(path);
    files.push({ path, kind, sha256 });
  };
  for (const doc of docs) {
    add(workspacePath(doc.file), 'spec', doc.digest);
    for (const file of recipientFiles(doc)) add(workspacePath(file), 'recipients', await hashFile(file));
  }
  add(CONFIG_FILE, 'config', await hashFile(CONFIG_FILE));
  for (const file of suppressionFiles) add(workspacePath(file), 'suppressions', await hashFile(file));
  if (catalogueFile !== undefined) add(workspacePath(catalogueFile), 'templates', await hashFile(catalogueFile));
  return files;
}
