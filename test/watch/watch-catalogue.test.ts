import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { watchWorkspace, type WatchRun } from '../../src/watch/watch-workspace.js';
import { withTmpDir } from '../state/tmp-dir.js';

const SPEC =
  'name: a\nrevision: 1\nwhatsApp:\n  templateName: hello\n  language: de_DE\nrecipients:\n  - phoneNumber: "41791000001"\n';
const catalogue = (language: string) =>
  `templates:\n  - name: hello\n    language: ${language}\n    body: Hello.\n`;
const codes = (run: WatchRun) => run.diagnostics.map((d) => d.code);

test('watch re-plans when the template catalogue changes, and watches it', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'specs'));
    await mkdir(join(dir, 'approved'));
    await writeFile(join(dir, 'specs/a.yaml'), SPEC);
    await writeFile(join(dir, 'approved/templates.yaml'), catalogue('en_GB'));
    const runs: WatchRun[] = [];
    let watched: string[] = [];
    const watcher = watchWorkspace([join(dir, 'specs')], (run) => void runs.push(run), {
      stateDir: join(dir, 'state'),
      configFile: join(dir, 'waspec.config.yaml'),
      templates: { path: join(dir, 'approved/templates.yaml'), file: 'approved/templates.yaml' },
      onWatch: (files) => (watched = files),
    });
    // Polls the runs (each check is immediate; the deadline only bounds a failure).
    const until = async (what: string, ok: (run: WatchRun) => boolean) => {
      for (
        const deadline = Date.now() + 8000;
        Date.now() < deadline;
        await new Promise((r) => setTimeout(r, 50))
      ) {
        const run = runs.find(ok);
        if (run) return run;
      }
      throw new Error(`no run ${what}: ${JSON.stringify(runs.map(codes))}`);
    };
    try {
      await until('with the unapproved language', (run) =>
        codes(run).includes('template-language-unknown'),
      );
      assert.ok(watched.includes(join(dir, 'approved/templates.yaml')));
      await writeFile(join(dir, 'approved/templates.yaml'), catalogue('[en_GB, de_DE]'));
      const fixed = await until('once de_DE is approved', (run) => run.diagnostics.length === 0);
      assert.is(fixed.plan?.summary.send, 1);
    } finally {
      await watcher.close();
    }
  }));

test.run();
