import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden.js';

// Real-shaped exports (test/fixtures/contacts/<name>/), each planned against its reviewed golden
// plan.golden.json (UPDATE_GOLDEN=1 rewrites them; review the diff). The binary ones come from
// generate.ts in that folder.
const corpus = fileURLToPath(new URL('../fixtures/contacts/', import.meta.url));
const folders = (await readdir(corpus, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface PlanJson {
  summary: Record<string, number>;
  excluded?: unknown[];
  contents: Record<string, { whatsApp: unknown }>;
  entries: Array<{ action: string; phoneNumber: string; contentHash: string }>;
  diagnostics: Array<Record<string, unknown>>;
}

/** What a reviewer checks: counts, who gets which text, who is left out and why, every diagnostic. */
function reviewed(plan: PlanJson) {
  return {
    summary: plan.summary,
    messages: plan.entries.map((e) => ({
      action: e.action,
      to: e.phoneNumber,
      whatsApp: plan.contents[e.contentHash]?.whatsApp,
    })),
    excluded: plan.excluded ?? [],
    diagnostics: plan.diagnostics.map(({ code, severity, file, line, column, cell, message }) => ({
      code,
      severity,
      at:
        cell === undefined
          ? `${String(file)}:${Number(line) + 1}:${Number(column) + 1}`
          : `${String(file)}:${cell as string}`,
      message,
    })),
  };
}

test('the corpus has the exports a Swiss or German shop has', () => {
  for (const name of [
    'semicolon-de-ch',
    'utf16-excel',
    'google-sheets',
    'hubspot',
    'shopify',
    'xlsx-dates-merged',
    'windows-1252',
  ])
    assert.ok(folders.includes(name), name);
});

for (const name of folders) {
  test(`contacts/${name} plans as its golden plan`, async () => {
    const dir = join(corpus, name);
    const state = await mkdtemp(join(tmpdir(), 'waspec-corpus-'));
    try {
      const r = await runCli(
        ['plan', '.', '--state', join(state, 'state.jsonl'), '--format', 'json', '--mask'],
        { cwd: dir },
      );
      assert.is(r.code, 0, r.stderr);
      const text = `${JSON.stringify(reviewed(JSON.parse(r.stdout) as PlanJson), null, 2)}\n`;
      await assertGolden(join(dir, 'plan.golden.json'), text);
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
}

test.run();
