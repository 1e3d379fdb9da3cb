import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WaspecError } from '../errors.js';

/** What `init` did with one file. */
export interface ScaffoldResult {
  file: string;
  action: 'created' | 'kept' | 'updated';
  /** Why it was kept, or what was added. */
  detail?: string;
}

export interface ScaffoldOptions {
  /** The repository to set up. */
  dir: string;
  /** Also write a CI workflow. */
  ci?: 'github';
  /** Where that workflow keeps the state: PostgreSQL (the default) or a journal committed to git. */
  ciState?: CiState;
}

export type CiState = 'postgres' | 'git';

// Shipped in the package beside dist/ (and beside src/ in this repository).
const TEMPLATES = fileURLToPath(new URL('../../templates/init/', import.meta.url));

/** Template file (under templates/init/) → where it goes in the user's repository. */
const FILES: ReadonlyArray<[template: string, target: string]> = [
  ['waspec.config.yaml', 'waspec.config.yaml'],
  ['specs/welcome.yaml', 'specs/welcome.yaml'],
  ['specs/recipients/welcome.csv', 'specs/recipients/welcome.csv'],
];
const CI_FILES: Record<NonNullable<ScaffoldOptions['ci']>, Record<CiState, [string, string]>> = {
  github: {
    postgres: ['github/waspec.yml', '.github/workflows/waspec.yml'],
    git: ['github/waspec-git-state.yml', '.github/workflows/waspec.yml'],
  },
};

/** Local state that stays out of git; the journal itself is meant to be committed. */
export const GITIGNORE_ENTRIES = ['node_modules/', '.waspec/lock.json', '.waspec/demo/'];

const cannotCreate = (target: string, error: unknown): WaspecError =>
  new WaspecError(
    'init-failed',
    `cannot create ${target} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    {
      hint: 'check that no file stands where waspec init creates a folder, and that the folder is writable',
    },
  );

/** Writes a file only if nothing is at its path (not even a symlink): never overwrites. */
async function createFile(dir: string, target: string, text: string): Promise<ScaffoldResult> {
  const absolute = path.join(dir, target);
  await mkdir(path.dirname(absolute), { recursive: true }).catch((error: unknown) => {
    throw cannotCreate(target, error);
  });
  let handle;
  try {
    handle = await open(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { file: target, action: 'kept', detail: 'it exists; not overwritten' };
    throw cannotCreate(target, error);
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  return { file: target, action: 'created' };
}

/** Appends the entries .gitignore lacks; keeps every line it has. */
async function updateGitignore(dir: string): Promise<ScaffoldResult> {
  const absolute = path.join(dir, '.gitignore');
  const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined)
    return createFile(
      dir,
      '.gitignore',
      `# waspec: local state (commit .waspec/journal.ndjson)\n${GITIGNORE_ENTRIES.join('\n')}\n`,
    );
  const lines = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_ENTRIES.filter(
    (entry) => !lines.has(entry) && !lines.has(entry.replace(/\/$/, '')),
  );
  if (missing.length === 0)
    return { file: '.gitignore', action: 'kept', detail: 'it has the entries' };
  const handle = await open(absolute, 'a');
  try {
    await handle.writeFile(
      `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}# waspec: local state\n${missing.join('\n')}\n`,
    );
  } finally {
    await handle.close();
  }
  return { file: '.gitignore', action: 'updated', detail: `added ${missing.join(', ')}` };
}

/** Sets up a repository for waspec; running it again changes nothing. */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult[]> {
  const files = options.ci
    ? [...FILES, CI_FILES[options.ci][options.ciState ?? 'postgres']]
    : FILES;
  const results: ScaffoldResult[] = [];
  for (const [template, target] of files) {
    results.push(
      await createFile(options.dir, target, await readFile(path.join(TEMPLATES, template), 'utf8')),
    );
  }
  results.push(await updateGitignore(options.dir));
  return results;
}
