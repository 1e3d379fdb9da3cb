import { stat } from 'node:fs/promises';
import path from 'node:path';
import { recipientFiles } from '../recipients/resolve-recipients.js';
import { seedFiles } from '../recipients/resolve-seeds.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import { JOURNAL_FILE } from '../state/file-state.js';

/** What one run depends on: recomputed after every run, so edits change what is watched. */
export interface WatchTargets {
  /** Files whose change means a new run: specs, recipient files (even missing ones), config, suppression files, template catalogue, journal. */
  files: Set<string>;
  /** Folders whose new *.yaml / *.yml files are new specs. */
  specDirs: Set<string>;
  /** Folders to watch (depth 0): each wanted folder, or its nearest existing ancestor until it exists. */
  dirs: Set<string>;
  /** Wanted folders that do not exist yet (their creation is a change). */
  missingDirs: Set<string>;
}

const isSpecFile = (file: string) => /\.ya?ml$/i.test(file);

async function isDirectory(p: string): Promise<boolean | undefined> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => undefined,
  );
}

async function nearestExisting(dir: string): Promise<string> {
  let current = dir;
  while ((await isDirectory(current)) !== true && path.dirname(current) !== current)
    current = path.dirname(current);
  return current;
}

export async function findWatchTargets(
  paths: readonly string[],
  options: {
    stateDir: string;
    configFile: string;
    suppressionFiles?: readonly string[];
    catalogueFile?: string;
  },
): Promise<WatchTargets> {
  const given = (paths.length > 0 ? paths : ['specs']).map((p) => path.resolve(p));
  const inputs = [
    options.configFile,
    path.join(options.stateDir, JOURNAL_FILE),
    ...(options.suppressionFiles ?? []),
    ...(options.catalogueFile === undefined ? [] : [options.catalogueFile]),
  ];
  const files = new Set(inputs.map((f) => path.resolve(f)));
  const specDirs = new Set<string>();
  for (const p of given) {
    const dir = await isDirectory(p);
    if (dir === true || (dir === undefined && !isSpecFile(p))) specDirs.add(p);
    else files.add(p);
  }
  // A spec that does not load right now contributes no recipient files until it is fixed (a run).
  const workspace = await loadWorkspace(paths).catch(() => ({ docs: [] }));
  for (const doc of workspace.docs) {
    files.add(path.resolve(doc.file));
    for (const file of [...recipientFiles(doc), ...seedFiles(doc)]) files.add(path.resolve(file));
  }
  const wanted = new Set([...specDirs, ...[...files].map((f) => path.dirname(f))]);
  const dirs = new Set<string>();
  const missingDirs = new Set<string>();
  for (const dir of wanted) {
    const existing = await nearestExisting(dir);
    dirs.add(existing);
    if (existing !== dir) missingDirs.add(dir);
  }
  return { files, specDirs, dirs, missingDirs };
}

/** Whether a watcher event changes what a run would see. */
export function isRelevantChange(targets: WatchTargets, event: string, file: string): boolean {
  if (targets.files.has(file)) return true;
  if (isSpecFile(file) && targets.specDirs.has(path.dirname(file))) return true;
  if (event === 'addDir' || event === 'unlinkDir') {
    return [...targets.missingDirs, ...targets.specDirs].some(
      (d) => d === file || d.startsWith(file + path.sep),
    );
  }
  return false;
}
