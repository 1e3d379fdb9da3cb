import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { CatalogueRef } from '../catalogue/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { WaspecError } from '../errors.js';
import { buildPlan, specReadOptions, type BuildPlanOptions } from '../plan/build-plan.js';
import type { RecipientDefaults } from '../message-spec/types.js';
import { CONFIG_FILE } from '../plan/hash-file.js';
import type { Plan } from '../plan/types.js';
import { openStateStore } from '../state/open-state.js';
import type { StateStore } from '../state/types.js';
import { findWatchTargets, isRelevantChange, type WatchTargets } from './watch-targets.js';

export interface WatchRun {
  run: number;
  plan?: Plan;
  diagnostics: Diagnostic[];
  /** An operational failure of this run (the state could not be read): no plan, watching goes on. */
  failure?: { message: string; hint?: string };
}

export interface WatchOptions {
  /** State to plan against, read only (default .waspec). */
  stateDir?: string;
  /** Another store to plan against instead (PostgreSQL: its changes start no run). */
  store?: StateStore;
  /** Config file whose changes start a run (default waspec.config.yaml). */
  configFile?: string;
  /** The config's suppressions and policy, applied to every run's plan. */
  guard?: Pick<BuildPlanOptions, 'policy' | 'suppressions'>;
  /** Destinations per request for specs that set no batchSize (the config's). */
  defaultBatchSize?: number;
  debounceMs?: number;
  /** Called after each run with the files that now start a run (tests, --verbose). */
  onWatch?: (files: string[]) => void;
  /** A failure of onRun itself; watching goes on. */
  onError?: (error: unknown) => void;
  /** Paths outside the workspace recipient files may come from (--allow-outside). */
  allowOutside?: readonly string[];
  /** The approved-template catalogue: checked against and watched. */
  templates?: CatalogueRef;
  /** The config's defaults for recipient files (`recipients:`). */
  recipientDefaults?: RecipientDefaults;
}

/**
 * Re-plans on every change of the specs, the recipient files they name (recomputed after each
 * run: a file an edit adds is watched, one it removes is not), the config and the state journal.
 * Folders are watched rather than files, so an editor's delete-and-recreate save is seen.
 * Runs never overlap; changes during a run schedule one more.
 */
export function watchWorkspace(
  paths: readonly string[],
  onRun: (run: WatchRun) => void | Promise<void>,
  options: WatchOptions = {},
): { close: () => Promise<void> } {
  const stateDir = options.stateDir ?? '.waspec';
  const configFile = options.configFile ?? CONFIG_FILE;
  const suppressionFiles = options.guard?.suppressions?.flatMap((s) => s.files) ?? [];
  const targetOptions = {
    stateDir,
    configFile,
    suppressionFiles,
    ...(options.templates ? { catalogueFile: options.templates.path } : {}),
  };
  const store = options.store ?? openStateStore({ kind: 'file', dir: stateDir });
  let watcher: FSWatcher | undefined;
  let targets: WatchTargets = {
    files: new Set(),
    specDirs: new Set(),
    dirs: new Set(),
    missingDirs: new Set(),
  };
  let count = 0;
  let running = false;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const onEvent = (event: string, file: string) => {
    if (isRelevantChange(targets, event, path.resolve(file))) schedule();
  };
  /** A watcher on these folders, once it sees changes ('ready'). */
  const open = (dirs: Set<string>) =>
    new Promise<FSWatcher>((resolve) => {
      const w = watch([...dirs], {
        ignoreInitial: true,
        depth: 0,
        awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 },
      });
      w.on('all', onEvent);
      w.on('error', (error) => options.onError?.(error));
      w.once('ready', () => resolve(w));
    });

  /**
   * Moves the watches to new targets. chokidar's add() says nothing when it is done, so when the
   * folders change a new watcher replaces the old one once it is ready: no edit falls in between.
   */
  const retarget = async (next: WatchTargets) => {
    const same =
      next.dirs.size === targets.dirs.size && [...next.dirs].every((d) => targets.dirs.has(d));
    targets = next;
    if (same || closed) return;
    const fresh = await open(next.dirs);
    const old = watcher;
    watcher = fresh;
    await old?.close();
    if (closed) await fresh.close();
  };

  const runOnce = async () => {
    if (running || closed) {
      again = true;
      return;
    }
    running = true;
    const run = ++count;
    let result: WatchRun;
    try {
      const plan = await buildPlan({
        paths,
        store,
        ...options.guard,
        ...(options.defaultBatchSize ? { defaultBatchSize: options.defaultBatchSize } : {}),
        ...(options.allowOutside ? { allowOutside: options.allowOutside } : {}),
        ...(options.templates ? { templates: options.templates } : {}),
        ...specReadOptions(options),
      });
      result = { run, plan, diagnostics: plan.diagnostics };
    } catch (error) {
      // A state that cannot be read right now (mid-write, wrong version): say so and keep watching.
      const message = error instanceof Error ? error.message : String(error);
      const hint = error instanceof WaspecError ? error.hint : undefined;
      result = {
        run,
        diagnostics: [],
        failure: hint === undefined ? { message } : { message, hint },
      };
    }
    try {
      await retarget(await findWatchTargets(paths, targetOptions));
      options.onWatch?.([...targets.files].sort());
      await onRun(result);
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void runOnce(), options.debounceMs ?? 150);
  };

  // The watcher is ready before the first run, so no edit made during it is missed.
  const started = findWatchTargets(paths, targetOptions)
    .then(async (first) => {
      targets = { ...first, dirs: new Set() };
      await retarget(first);
      if (!closed) void runOnce();
    })
    .catch((error: unknown) => options.onError?.(error));
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await started.catch(() => undefined);
      await watcher?.close();
    },
  };
}
