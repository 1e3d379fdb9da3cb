import { createHash } from 'node:crypto';
import { batchSizeOf } from '../compile/group-requests.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CatalogueRef } from '../catalogue/types.js';
import type { RatesRef } from '../rates/types.js';
import { recipientFiles } from '../recipients/resolve-recipients.js';
import { seedFiles } from '../recipients/resolve-seeds.js';
import { messageShapeOf, writtenMessageOf, type MessageShape } from '../render/message-shape.js';
import { contentHashOf } from '../api/identity.js';
import type { MessageContent } from '../api/types.js';
import { storedContentOf } from '../state/stored-content.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import type { SpecDocument, SpecReadOptions } from '../message-spec/types.js';
import type { StateStore } from '../state/types.js';
import type { SuppressionDigest } from '../suppressions/file-suppressions.js';
import type { SuppressionSource, SuppressionTable } from '../suppressions/types.js';
import { CONFIG_FILE, hashFile, workspacePath } from './hash-file.js';
import { selectTargets } from './plan-checks.js';
import type { Plan, PlanInputFile } from './types.js';

/** What a plan is made from, besides the state: the part of a plan `inputsDigest` covers. */
export type PlanInputs = Pick<Plan, 'specs' | 'options'> & {
  inputs: Pick<Plan['inputs'], 'files' | 'suppressions'>;
};

export interface PlanInputOptions extends SpecReadOptions {
  paths: readonly string[];
  targets?: readonly string[];
  retryRejected?: boolean;
  resendInDoubt?: boolean;
  allowLarge?: number;
  allowCost?: string;
  defaultBatchSize?: number;
  /** The config's suppression sources (a PostgreSQL state's table comes with the store). */
  suppressions?: readonly SuppressionSource[];
  templates?: CatalogueRef;
  rates?: RatesRef;
}

/** What reading the specs takes from the options: where recipient files may be, and their defaults. */
export function specReadOptions(options: SpecReadOptions): SpecReadOptions {
  return {
    ...(options.allowOutside ? { allowOutside: options.allowOutside } : {}),
    ...(options.recipientDefaults ? { recipientDefaults: options.recipientDefaults } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
  };
}

const isTable = (source: SuppressionSource): source is SuppressionTable =>
  'digest' in source && typeof source.digest === 'function';

const withShape = (shape: MessageShape | undefined) => (shape ? { shape } : {});

/** The spec's message as written, as the state keeps it (numbers masked), and its hash. */
function writtenOf(doc: SpecDocument): { written: MessageContent; writtenHash: string } {
  const written = storedContentOf(writtenMessageOf(doc)).content;
  return { written, writtenHash: contentHashOf(written) };
}

/** The inputs of a plan of `docs` (the specs in scope), given the digests of the suppression tables read. */
export async function planInputsOf(
  docs: readonly SpecDocument[],
  options: PlanInputOptions,
  tableDigests: readonly SuppressionDigest[],
): Promise<PlanInputs> {
  const paths = options.paths.length > 0 ? [...options.paths] : ['specs'];
  return {
    specs: docs.map((d) => ({
      name: d.spec.name,
      file: workspacePath(d.file),
      revision: d.spec.revision,
      batchSize: batchSizeOf(d, options.defaultBatchSize),
      ...withShape(messageShapeOf(d)),
      ...writtenOf(d),
    })),
    inputs: {
      files: await inputFiles(
        docs,
        options.suppressions?.flatMap((s) => s.files) ?? [],
        options.templates?.path,
        options.rates?.path,
      ),
      ...(tableDigests.length > 0 ? { suppressions: [...tableDigests] } : {}),
    },
    options: {
      retryRejected: options.retryRejected ?? false,
      resendInDoubt: options.resendInDoubt ?? false,
      targets: [...(options.targets ?? [])],
      paths,
      ...(options.allowLarge === undefined ? {} : { allowLarge: options.allowLarge }),
      ...(options.allowCost === undefined ? {} : { allowCost: options.allowCost }),
    },
  };
}

/**
 * A plan's inputs without compiling anything or reading the state (what a worker joining an
 * apply needs); undefined when the specs have errors (then only a real plan can say).
 */
export async function readPlanInputs(
  options: PlanInputOptions,
  store: Pick<StateStore, 'suppressions'>,
): Promise<PlanInputs | undefined> {
  const paths = options.paths.length > 0 ? [...options.paths] : ['specs'];
  const workspace = await loadWorkspace(paths, specReadOptions(options));
  const diagnostics: Diagnostic[] = [...workspace.diagnostics];
  const docs = selectTargets(workspace.docs, [...(options.targets ?? [])], diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;
  // As buildPlan reads them: the config's sources and the state's table; only those that are not files have a digest.
  const tables = [
    ...(options.suppressions ?? []),
    ...(store.suppressions ? [store.suppressions] : []),
  ].filter((s) => s.files.length === 0);
  const digests: SuppressionDigest[] = [];
  for (const table of tables) {
    const digest = isTable(table) ? await table.digest() : (await table.read()).digest;
    if (digest !== undefined) digests.push({ location: table.location, sha256: digest });
  }
  return planInputsOf(docs, options, digests);
}

/**
 * What a plan was made from, as one digest: its spec, recipient, config and suppression files,
 * its specs' revisions and batch sizes, and the options that choose what to send. Not the state:
 * workers that join an apply after others have sent part of it (apply --workers) get the same
 * digest, so they join instead of starting another.
 */
export function inputsDigest(plan: PlanInputs): string {
  const { retryRejected, resendInDoubt, targets, paths, allowLarge, allowCost } = plan.options;
  const inputs = {
    files: [...plan.inputs.files]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((f) => [f.kind, f.path, f.sha256]),
    suppressions: (plan.inputs.suppressions ?? []).map((s) => [s.location, s.sha256]),
    specs: plan.specs.map((s) => [s.name, s.file, s.revision, s.batchSize]),
    options: {
      retryRejected,
      resendInDoubt,
      targets: [...targets].sort(),
      paths: paths ?? [],
      allowLarge: allowLarge ?? null,
      // Only when given: digests of plans made without it stay as they were.
      ...(allowCost === undefined ? {} : { allowCost }),
    },
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

async function inputFiles(
  docs: readonly SpecDocument[],
  suppressionFiles: readonly string[],
  catalogueFile: string | undefined,
  ratesFile: string | undefined,
): Promise<PlanInputFile[]> {
  const files: PlanInputFile[] = [];
  const seen = new Set<string>();
  const add = (path: string, kind: PlanInputFile['kind'], sha256: string | undefined): void => {
    if (sha256 === undefined || seen.has(path)) return;
    seen.add(path);
    files.push({ path, kind, sha256 });
  };
  for (const doc of docs) {
    add(workspacePath(doc.file), 'spec', doc.digest);
    for (const file of [...recipientFiles(doc), ...seedFiles(doc)])
      add(workspacePath(file), 'recipients', await hashFile(file));
  }
  add(CONFIG_FILE, 'config', await hashFile(CONFIG_FILE));
  for (const file of suppressionFiles)
    add(workspacePath(file), 'suppressions', await hashFile(file));
  if (catalogueFile !== undefined)
    add(workspacePath(catalogueFile), 'templates', await hashFile(catalogueFile));
  if (ratesFile !== undefined) add(workspacePath(ratesFile), 'rates', await hashFile(ratesFile));
  return files;
}
