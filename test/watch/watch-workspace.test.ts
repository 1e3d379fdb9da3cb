import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSuppressionSource } from '../../src/suppressions/file-suppressions.js';
import { watchWorkspace, type WatchRun } from '../../src/watch/watch-workspace.js';
import { withTmpDir } from '../state/tmp-dir.js';

const spec = (name: string, file: string) =>
  `name: ${name}\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}"\nrecipients:\n  - file: ${file}\n`;
const csv = (...numbers: string[]) =>
  `phoneNumber,name\n${numbers.map((n) => `${n},X`).join('\n')}\n`;

/** Runs as they come, and a wait for the next one that matches (with a timeout, never a sleep). */
function recorder() {
  const runs: WatchRun[] = [];
  let watched: string[] = [];
  let wake: () => void = () => undefined;
  return {
    runs,
    watched: () => watched,
    onRun: (run: WatchRun) => {
      runs.push(run);
      wake();
    },
    onWatch: (files: string[]) => (watched = files),
    async next(match: (run: WatchRun) => boolean, what: string): Promise<WatchRun> {
      const from = runs.length;
      const deadline = Date.now() + 8000;
      for (;;) {
        const found = runs.slice(from).find(match);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no run with ${what}; last: ${JSON.stringify(runs.at(-1)?.plan?.summary ?? runs.at(-1)?.diagnostics)}`,
          );
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 250);
        });
      }
    },
  };
}

const sends = (n: number) => (run: WatchRun) => run.plan?.summary.send === n;

test('follows recipient files across atomic saves and spec edits, and watches the config and state', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'specs'));
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'other'));
    await writeFile(join(dir, 'specs/a.yaml'), spec('a', '../data/people.csv'));
    await writeFile(join(dir, 'data/people.csv'), csv('41791000001'));
    await writeFile(join(dir, 'other/more.csv'), csv('41791000005', '41791000006', '41791000007'));
    const r = recorder();
    const watcher = watchWorkspace([join(dir, 'specs')], r.onRun, {
      stateDir: join(dir, 'state'),
      configFile: join(dir, 'waspec.config.yaml'),
      onWatch: r.onWatch,
      // The test's workspace is `dir`, not the current directory: its sibling folders are allowed by name.
      allowOutside: [dir],
    });
    try {
      await r.next(sends(1), '1 to send');
      assert.ok(r.watched().includes(join(dir, 'data/people.csv')));

      // An editor's atomic save: write elsewhere, rename over the file.
      await writeFile(join(dir, 'data/.people.csv.tmp'), csv('41791000001', '41791000002'));
      await rename(join(dir, 'data/.people.csv.tmp'), join(dir, 'data/people.csv'));
      await r.next(sends(2), '2 to send after an atomic save');

      // The spec now names another file: that one is watched, the old one no longer.
      await writeFile(join(dir, 'specs/a.yaml'), spec('a', '../other/more.csv'));
      await r.next(sends(3), '3 to send from the new file');
      assert.ok(r.watched().includes(join(dir, 'other/more.csv')));
      assert.not.ok(r.watched().includes(join(dir, 'data/people.csv')));
      await writeFile(join(dir, 'other/more.csv'), csv('41791000005'));
      await r.next(sends(1), '1 to send after editing the new file');

      // The config file and a state that cannot be read both start a run, and watching goes on.
      let count = r.runs.length;
      await writeFile(join(dir, 'waspec.config.yaml'), 'stateDir: state\n');
      await r.next((run) => run.run > count, 'a run after a config change');
      count = r.runs.length;
      await mkdir(join(dir, 'state'));
      await writeFile(join(dir, 'state/journal.ndjson'), '{"not": "a record"}\n');
      const broken = await r.next((run) => run.run > count, 'a run after a state change');
      assert.ok(
        broken.failure !== undefined || broken.diagnostics.length > 0,
        'the broken state is reported',
      );
    } finally {
      await watcher.close();
    }
  }));

test('a suppression file is watched: listing a number re-plans it as suppressed', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'specs'));
    await writeFile(join(dir, 'specs/a.yaml'), spec('a', 'people.csv'));
    await writeFile(join(dir, 'specs/people.csv'), csv('41791000001', '41791000002'));
    await writeFile(join(dir, 'stop.csv'), 'phoneNumber\n');
    const r = recorder();
    const watcher = watchWorkspace([join(dir, 'specs')], r.onRun, {
      stateDir: join(dir, 'state'),
      configFile: join(dir, 'waspec.config.yaml'),
      guard: { suppressions: [fileSuppressionSource([join(dir, 'stop.csv')])] },
      onWatch: r.onWatch,
    });
    try {
      await r.next(sends(2), '2 to send');
      assert.ok(r.watched().includes(join(dir, 'stop.csv')));
      await writeFile(join(dir, 'stop.csv'), 'phoneNumber\n41791000002\n');
      const run = await r.next(sends(1), '1 to send once the other is suppressed');
      assert.is(run.plan?.summary.suppressed, 1);
    } finally {
      await watcher.close();
    }
  }));

test('a spec folder that does not exist yet is picked up when it is created', () =>
  withTmpDir(async (dir) => {
    const r = recorder();
    const watcher = watchWorkspace([join(dir, 'later')], r.onRun, {
      stateDir: join(dir, 'state'),
      configFile: join(dir, 'waspec.config.yaml'),
    });
    try {
      const first = await r.next(() => true, 'a first run');
      assert.ok(
        first.diagnostics.some((d) => d.code === 'file-not-found' || d.code === 'no-specs'),
      );
      await mkdir(join(dir, 'later'));
      await writeFile(join(dir, 'later/people.csv'), csv('41791000001', '41791000002'));
      await writeFile(join(dir, 'later/b.yaml'), spec('b', 'people.csv'));
      await r.next(sends(2), '2 to send once the folder exists');
    } finally {
      await watcher.close();
    }
  }));

test.run();
