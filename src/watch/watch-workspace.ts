import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/diagnostic.js';
import { buildPlan } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import { openFileStateStore } from '../state/file-state.js';

export interface WatchRun {
  run: number;
  plan?: Plan;
  diagnostics: Diagnostic[];
}

export interface WatchOptions {
  stateDir: string;
  debounceMs?: number;
  /** Called with each new set of watched files (tests and --verbose). */
  onWatch?: (files: string[]) => void;
}

const RELEVANT = /\.(ya?ml|csv|json|ndjson|jsonl)$/i;

/**
 * Re-plans on every change of the specs, the recipient files they name (re-read after each run)
 * and the config. Folders are watched rather than files, so an editor's delete-and-recreate save
 * is seen. Runs never overlap; a change during a run schedules one more.
 */
export function watchWorkspace(paths: readonly string[], onRun: (run: WatchRun) => void | Promise<void>, options: WatchOptions): { close: () => Promise<void> } {
  const given = (paths.length > 0 ? paths : ['specs']).map((p) => path.resolve(p));
  const store = openFileStateStore(options.stateDir);
  const stateDir = path.resolve(options.stateDir);
  let relevantFiles = new Set<string>();
  const watchedDirs = new Set<string>();
  let count = 0;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const isRelevant = (file: string): boolean => {
    if (file.startsWith(stateDir)) return false;
    if (relevantFiles.has(file)) return true;
    if (!RELEVANT.test(file)) return false;
    return given.some((g) => g === file || path.dirname(file) === g) || path.basename(file) === 'waspec.config.yaml';
  };

  const initialDirs = [...new Set([...given.map((g) => (RELEVANT.test(g) ? path.dirname(g) : g)), process.cwd()])];
  initialDirs.forEach((d) => watchedDirs.add(d));
  const watcher: FSWatcher = watch(initialDirs, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 } });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const watchDir = (dir: string) => {
    if (watchedDirs.has(dir) || closed) return;
    watchedDirs.add(dir);
    watcher.add(dir);
  };

  const runOnce = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const run = ++count;
    let result: WatchRun;
    try {
      const plan = await buildPlan({ paths, store });
      result = { run, plan, diagnostics: plan.diagnostics };
      const recipients = plan.inputs.files.filter((f) => f.kind !== 'spec').map((f) => path.resolve(f.path));
      relevantFiles = new Set([...plan.inputs.files.map((f) => path.resolve(f.path)), ...recipients]);
    } catch (error) {
      // A state or config that cannot be read right now: say so and keep watching.
      result = { run, diagnostics: [makeDiagnostic('file-not-found', error instanceof Error ? error.message : String(error))] };
    }
    for (const dir of [...given.map((g) => (RELEVANT.test(g) ? path.dirname(g) : g)), process.cwd(), ...[...relevantFiles].map((f) => path.dirname(f))]) watchDir(dir);
    options.onWatch?.([...relevantFiles].sort());
    try {
      await onRun(result);
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

  watcher.on('all', (_event, file) => {
    if (isRelevant(path.resolve(file))) schedule();
  });
  // The first run waits until the watcher sees changes, so no edit after it is missed.
  void ready.then(runOnce);
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
