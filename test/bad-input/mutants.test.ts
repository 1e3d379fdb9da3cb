import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCatalogue } from '../../src/catalogue/read-catalogue.js';
import { compileSpecBatches } from '../../src/compile/compile-spec.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadWorkspace } from '../../src/message-spec/load-workspace.js';
import { formatDiagnostics } from '../../src/report/diagnostics-format.js';
import { assertNoStackTrace, runCli } from '../helpers/cli.js';
import { createRandom } from '../../src/emulator/random.js';

// Seeded mutants of examples/ (lines deleted, repeated, swapped; anchors, aliases and merge keys,
// some referring to themselves; quotes left open; deep nesting): every one must end in
// diagnostics, never in a thrown error. All go through validate's stages in this process; a
// sample goes through the CLI, whose --format json must parse whatever the input.

const MUTANTS = 300;
const THROUGH_CLI = 5;
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

type Mutation = (lines: string[], pick: (n: number) => number) => void;

const indentOf = (line: string) => /^\s*/.exec(line)?.[0] ?? '';
const SNIPPETS = ['"', "'", '[', '{', ']', '}', ',', ':', '? ', '- ', '&', '*', '!', '|', '>', '%'];

const MUTATIONS: Record<string, Mutation> = {
  delete: (l, pick) => void l.splice(pick(l.length), 1),
  duplicate: (l, pick) => {
    const i = pick(l.length);
    l.splice(i, 0, l[i] ?? '');
  },
  swap: (l, pick) => {
    const i = pick(l.length);
    const j = pick(l.length);
    [l[i], l[j]] = [l[j] ?? '', l[i] ?? ''];
  },
  // key: → key: &a, and *a (or a merge <<: *a, alone or in a list) somewhere after it, often inside it.
  alias: (l, pick) => {
    const keys = l.flatMap((line, i) => (/^\s*[\w-]+:\s*$/.test(line) ? [i] : []));
    const i = keys[pick(keys.length)];
    if (i === undefined) return;
    l[i] = `${l[i] ?? ''} &a`;
    const at = Math.min(l.length, i + 1 + pick(3));
    const indent = `${indentOf(l[i] ?? '')}  `;
    const use = [`${indent}again: *a`, `${indent}<<: *a`, `${indent}<<: [*a, { x: 1 }]`][pick(3)];
    l.splice(at, 0, use ?? '');
  },
  collectionKey: (l, pick) => {
    const i = pick(l.length);
    l.splice(i, 0, `${indentOf(l[i] ?? '')}? [a, b]`, `${indentOf(l[i] ?? '')}: v`);
  },
  openQuote: (l, pick) => {
    const i = pick(l.length);
    const line = l[i] ?? '';
    const at = pick(line.length + 1);
    l[i] = `${line.slice(0, at)}${pick(2) === 0 ? '"' : "'"}${line.slice(at)}`;
  },
  deep: (l, pick) => {
    const i = pick(l.length);
    const depth = 20 + pick(3000);
    const [open, close] = pick(2) === 0 ? ['[', ']'] : ['{a: ', '}'];
    l.splice(i, 0, `${indentOf(l[i] ?? '')}deep: ${open.repeat(depth)}1${close.repeat(depth)}`);
  },
  deepJson: (l, pick) => {
    const i = pick(l.length);
    const depth = 20 + pick(3000);
    l.splice(
      i,
      0,
      `{"phoneNumber":"+41793026727","vars":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
    );
  },
  snippet: (l, pick) => {
    const i = pick(l.length);
    const line = l[i] ?? '';
    const at = pick(line.length + 1);
    l[i] = `${line.slice(0, at)}${SNIPPETS[pick(SNIPPETS.length)] ?? ''}${line.slice(at)}`;
  },
};

async function filesOf(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (
      entry.isFile() &&
      /\.(ya?ml|csv|ndjson)$/.test(entry.name) &&
      !entry.parentPath.endsWith('ci')
    )
      out.push(relative(dir, join(entry.parentPath, entry.name)));
  return out.sort();
}

/** validate's stages in this process: specs, catalogue, recipients, both printed formats. */
async function validateHere(dir: string): Promise<Diagnostic[]> {
  const workspace = await loadWorkspace([dir], {});
  const catalogue = await readCatalogue({
    path: join(dir, 'catalogue/templates.yaml'),
    file: 'catalogue/templates.yaml',
  });
  const diagnostics = [...workspace.diagnostics, ...catalogue.diagnostics];
  for (const doc of workspace.docs)
    for await (const _ of compileSpecBatches(doc, (d) => diagnostics.push(d), {
      ...(catalogue.value ? { catalogue: catalogue.value } : {}),
    }));
  formatDiagnostics(diagnostics, { format: 'pretty', mask: true });
  JSON.parse(formatDiagnostics(diagnostics, { format: 'json' }));
  return diagnostics;
}

test(`${MUTANTS} seeded mutants of examples/ end in diagnostics, never in an error`, async () => {
  const files = await filesOf(examples);
  const originals = new Map(
    await Promise.all(
      files.map(async (f) => [f, await readFile(join(examples, f), 'utf8')] as const),
    ),
  );
  const dir = await mkdtemp(join(tmpdir(), 'waspec-mutants-'));
  const failures: string[] = [];
  let diagnosed = 0;
  try {
    await cp(examples, dir, { recursive: true });
    const names = Object.keys(MUTATIONS);
    for (let seed = 1; seed <= MUTANTS; seed++) {
      const next = createRandom(seed);
      const pick = (n: number) => Math.floor(next() * n);
      const file = files[pick(files.length)] ?? '';
      const lines = (originals.get(file) ?? '').split('\n');
      const applied: string[] = [];
      for (let k = 1 + pick(3); k > 0; k--) {
        const name = names[pick(names.length)] ?? 'delete';
        MUTATIONS[name]?.(lines, pick);
        applied.push(name);
      }
      await writeFile(join(dir, file), lines.join('\n'));
      const what = `seed ${seed}: ${file} (${applied.join(', ')})`;
      try {
        const diagnostics = await validateHere(dir);
        if (diagnostics.length > 0) diagnosed++;
      } catch (error) {
        failures.push(
          `${what}: ${String((error as Error).stack)
            .split('\n')
            .slice(0, 4)
            .join(' | ')}`,
        );
      }
      if (seed % Math.floor(MUTANTS / THROUGH_CLI) === 0) {
        const r = await runCli(['validate', '.', '--format', 'json'], { cwd: dir });
        try {
          assertNoStackTrace(r);
          assert.ok(r.code === 0 || r.code === 1, `exit ${String(r.code)}`);
          JSON.parse(r.stdout);
        } catch (error) {
          failures.push(`${what} through the CLI: ${(error as Error).message.slice(0, 300)}`);
        }
      }
      await writeFile(join(dir, file), originals.get(file) ?? '');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(failures, []);
  // The mutations do break things: most mutants are diagnosed (a test that cannot fail is no test).
  assert.ok(diagnosed > MUTANTS / 2, `${diagnosed} of ${MUTANTS} mutants gave diagnostics`);
});

test.run();
