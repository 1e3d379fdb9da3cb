import { readCatalogue } from '../catalogue/read-catalogue.js';
import { templatesUsed } from '../catalogue/templates-used.js';
import type { Catalogue, CatalogueRef } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkFlawedSpecs, compileSpec } from '../compile/compile-spec.js';
import type { CompiledMessage } from '../compile/types.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import type { RecipientDefaults, SeedSource, SpecDocument } from '../message-spec/types.js';
import type { RatesRef } from '../rates/types.js';
import type { StateStore } from '../state/types.js';
import type { ExcludedRecipient, ExcludeSink } from '../recipients/types.js';
import { classifyMessages } from './classify-messages.js';
import { contentValues } from './content-store.js';
import { lookUpContents } from './look-up-contents.js';
import { planCost } from './plan-cost.js';
import { checkMediaUrls } from './check-media-urls.js';
import type { MediaCheck } from '../api/media-limits.js';
import type { MessageContent } from '../api/types.js';
import { isSending } from './types.js';
import { setEntry, type EntryList } from './entry-list.js';
import { estimatePace } from './estimate-pace.js';
import { checkSendAt, selectTargets } from './plan-checks.js';
import { guardPlan, type GuardOptions } from './policy/guard-plan.js';
import { countSeeds, summarizeEntries } from './summarize-plan.js';
import { planInputsOf, specReadOptions } from './plan-inputs.js';
import { assignStages, planStages } from './stages.js';
import type { Plan } from './types.js';

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
  /** The config's `seed:` (test recipients of every spec without its own). */
  seed?: SeedSource;
  /** The rate card (the config's `rates:`): the plan's cost, checked against policy.budget. */
  rates?: RatesRef;
  /** --allow-cost AMOUNT: the cost approved above policy.budget. */
  allowCost?: string;
  /** Requests per second apply keeps to (the config's rateLimit): how long it takes. */
  rateLimit?: number;
  /** --check-media: fetches each media URL the plan sends (the transport's checker). */
  checkMedia?: MediaCheck;
}

/** Loads, compiles and diffs the specs against the state. Errors are in plan.diagnostics. */
export async function buildPlan(options: BuildPlanOptions): Promise<Plan> {
  const now = options.now ?? new Date();
  const paths = options.paths.length > 0 ? [...options.paths] : ['specs'];
  const targets = [...(options.targets ?? [])];
  const workspace = await loadWorkspace(paths, specReadOptions(options));
  const snapshot = await options.store.read();
  const catalogue = options.templates ? await readCatalogue(options.templates) : undefined;
  const diagnostics: Diagnostic[] = [
    ...workspace.diagnostics,
    ...(catalogue?.diagnostics ?? []),
    ...snapshot.diagnostics,
  ];
  const docs = selectTargets(workspace.docs, targets, diagnostics);
  await checkFlawedSpecs(
    (workspace.flawed ?? []).filter((d) => targets.length === 0 || targets.includes(d.spec.name)),
    (d) => diagnostics.push(d),
    catalogue?.value ? { catalogue: catalogue.value } : {},
  );
  for (const doc of docs) checkSendAt(doc, now, diagnostics);

  const excluded: ExcludedRecipient[] = [];
  const classified = await classifyMessages(
    compileAll(docs, diagnostics, catalogue?.value, (row) => excluded.push(row)),
    snapshot,
    {
      retryRejected: options.retryRejected ?? false,
      resendInDoubt: options.resendInDoubt ?? false,
      // Orphans only of specs in scope: --target, or the specs of the files named (not every spec of
      // the state); a path that does not exist or a spec that did not load names no spec either.
      ...(targets.length > 0
        ? { scope: new Set(targets) }
        : workspace.namesFiles || workspace.incomplete
          ? { scope: new Set(workspace.docs.map((d) => d.spec.name)) }
          : {}),
      revisions: new Map(docs.map((d) => [d.spec.name, d.spec.revision])),
      contents: options.store.tempDir === undefined ? {} : { dir: options.store.tempDir },
      // The plan's pages spill beside the contents (the OS temp dir without a state folder).
      pages: options.store.tempDir === undefined ? {} : { dir: options.store.tempDir },
    },
  );
  // A PostgreSQL state brings its workspace's suppression table, read with the config's files.
  const suppressions = [
    ...(options.suppressions ?? []),
    ...(options.store.suppressions ? [options.store.suppressions] : []),
  ];
  const guarded = await guardPlan(
    classified.entries,
    classified.contents,
    workspace.docs,
    snapshot,
    { ...options, suppressions, now },
  );
  diagnostics.push(...guarded.diagnostics);
  // What the policy leaves a seed to send goes in the first stage: before any other message.
  classified.entries.forEach((entry, i) => {
    if (isSending(entry) && entry.seed)
      setEntry(classified.entries, i, { ...entry, stage: 'seed' });
  });
  // After the policy: only what is sent gets a stage.
  const rollouts = assignStages(
    classified.entries,
    docs,
    options.policy?.rollout,
    snapshot.canaries,
  );
  const stages = planStages(classified.entries, rollouts);
  const priced = await planCost(
    classified.entries,
    classified.contents,
    docs,
    { state: snapshot, ...(catalogue?.value ? { catalogue: catalogue.value } : {}) },
    { ...options, ...(options.policy?.budget ? { budget: options.policy.budget } : {}) },
  );
  diagnostics.push(...priced.diagnostics);
  if (options.checkMedia)
    diagnostics.push(
      ...(await checkMediaUrls(
        sentContents(classified.entries, classified.contents, docs),
        options.checkMedia,
      )),
    );
  const seeds = countSeeds(classified.entries);
  const {
    specs,
    inputs,
    options: planOptions,
  } = await planInputsOf(docs, { ...options, paths, targets }, guarded.digests);
  return {
    formatVersion: 1,
    createdAt: now.toISOString(),
    specs: specs.map((spec) => {
      const rollout = rollouts.get(spec.name);
      return rollout ? { ...spec, rollout } : spec;
    }),
    contents: classified.contents,
    ...(await lookUpContents(classified.entries, snapshot, options.store, specs)),
    ...(catalogue?.value
      ? { templates: templatesUsed(contentValues(classified.contents), catalogue.value) }
      : {}),
    entries: classified.entries,
    ...(classified.variables.rows > 0 ? { variables: classified.variables } : {}),
    ...(excluded.length > 0 ? { excluded: sortExcluded(excluded, docs) } : {}),
    summary: {
      ...summarizeEntries(classified.entries),
      ...(seeds > 0 ? { seeds } : {}),
      ...(excluded.length > 0 ? { excluded: excluded.length } : {}),
    },
    ...(priced.cost ? { cost: priced.cost } : {}),
    ...(guarded.limit ? { messagingLimit: guarded.limit } : {}),
    ...(stages ? { stages } : {}),
    ...(options.rateLimit === undefined
      ? {}
      : {
          pace: estimatePace(
            classified.entries,
            classified.contents,
            new Map(specs.map((s) => [s.name, s.batchSize])),
            options.rateLimit,
          ),
        }),
    inputs: {
      files: inputs.files,
      state: {
        location: options.store.location,
        sha256: snapshot.digest,
        records: snapshot.records ?? 0,
        ...(snapshot.breaker ? { breaker: snapshot.breaker } : {}),
      },
      ...(inputs.suppressions ? { suppressions: inputs.suppressions } : {}),
    },
    options: planOptions,
    diagnostics,
  };
}

export { specReadOptions };

/** Excluded rows in spec order, then by place (compile finds empty values after invalid numbers). */
function sortExcluded(rows: ExcludedRecipient[], docs: SpecDocument[]): ExcludedRecipient[] {
  const order = new Map(docs.map((d, i) => [d.spec.name, i]));
  return rows.sort(
    (a, b) =>
      (order.get(a.spec) ?? 0) - (order.get(b.spec) ?? 0) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

async function* compileAll(
  docs: SpecDocument[],
  diagnostics: Diagnostic[],
  catalogue: Catalogue | undefined,
  exclude: ExcludeSink,
): AsyncIterable<CompiledMessage> {
  for (const doc of docs)
    yield* compileSpec(doc, (d) => diagnostics.push(d), {
      exclude,
      ...(catalogue ? { catalogue } : {}),
    });
}

/** Each spec's distinct contents that apply sends, with the spec they come from. */
function* sentContents(
  entries: EntryList,
  contents: Readonly<Record<string, MessageContent>>,
  docs: readonly SpecDocument[],
): Iterable<{ doc: SpecDocument; whatsApp: MessageContent['whatsApp'] }> {
  const byName = new Map(docs.map((d) => [d.spec.name, d]));
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!isSending(entry)) continue;
    const key = `${entry.spec}\u0000${entry.contentHash}`;
    const doc = byName.get(entry.spec);
    const content = contents[entry.contentHash];
    if (seen.has(key) || !doc || !content) continue;
    seen.add(key);
    yield { doc, whatsApp: content.whatsApp };
  }
}
