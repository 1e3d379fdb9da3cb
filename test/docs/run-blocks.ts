// Runs a page's runnable shell blocks, in order, in one temporary directory, as a reader would:
// `npx waspec` is the built CLI, and the API emulator a page starts on 127.0.0.1:8787 is one this
// test starts on a free port (the blocks' 8787 is replaced by it).
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { startEmulator } from '../../src/emulator/server.js';
import { CLI } from '../helpers/cli.js';
import { ROOT, runnableBlocks } from './markdown.js';

function bash(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Runs every runnable block of `page`; returns how many ran. */
export async function runPage(page: string): Promise<number> {
  const blocks = runnableBlocks(await readFile(join(ROOT, page), 'utf8'));
  const dir = await mkdtemp(join(tmpdir(), 'waspec-docs-'));
  const emulator = await startEmulator();
  try {
    const bin = join(dir, '.bin');
    const work = join(dir, 'work');
    await bash(`mkdir -p '${bin}' '${work}'`, process.env);
    await writeFile(
      join(bin, 'npx'),
      `#!/bin/sh\nif [ "$1" = waspec ]; then shift; exec '${process.execPath}' '${CLI}' "$@"; fi\n` +
        `echo "npx $1: not available in the docs test" >&2; exit 127\n`,
    );
    await chmod(join(bin, 'npx'), 0o755);
    await writeFile(join(dir, 'cwd'), work);
    await writeFile(join(dir, 'env'), '');
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: dir,
      NO_COLOR: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      LANG: 'C.UTF-8',
    };
    for (const block of blocks) {
      const script = [
        'set -e',
        `cd "$(cat '${dir}/cwd')"`,
        `. '${dir}/env'`,
        block.script.replaceAll('127.0.0.1:8787', `127.0.0.1:${emulator.port}`),
        `pwd > '${dir}/cwd'`,
        `export -p | grep -E '^declare -x (WASPEC|PG)[A-Z_]*=' > '${dir}/env' || true`,
      ].join('\n');
      const { code, output } = await bash(script, env);
      const where = `${page}:${block.line}`;
      assert.is(code, 0, `${where} exited ${String(code)}:\n${output}`);
      for (const line of block.expected)
        for (const part of line.split('…').map((piece) => piece.trim()))
          assert.ok(output.includes(part), `${where}: the output lacks "${part}":\n${output}`);
    }
    assert.is(emulator.stats().duplicates, 0, `${page}: the emulator saw a duplicate`);
    return blocks.length;
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
