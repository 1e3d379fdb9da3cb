// Runs one command in a child process and returns its wall time (spawn to exit), CPU time (user +
// sys, all threads) and peak RSS, so every figure belongs to that run alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hook = new URL('./rusage.mjs', import.meta.url).href;

/** `args` are node's arguments (script first); `env` is added to this process's environment. Rejects when the child exits with a non-zero code. */
export async function measure(args, { cwd = process.cwd(), okCodes = [0], env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'waspec-measure-'));
  const file = join(dir, 'rusage.json');
  try {
    const started = performance.now();
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions, WASPEC_BENCH_RUSAGE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    if (!okCodes.includes(code))
      throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`);
    // One line per node process (the command and any it started): CPU summed, the largest peak RSS.
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return {
      wallMs,
      cpuMs: lines.reduce((sum, l) => sum + l.cpuMs, 0),
      maxRssMiB: Math.max(...lines.map((l) => l.maxRssMiB)),
      processes: lines.length,
      stdout,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median of each figure separately (the machine is shared: runs vary). */
export function medians(runs) {
  const pick = (key) => {
    const sorted = runs.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[sorted.length >> 1];
  };
  return { wallMs: pick('wallMs'), cpuMs: pick('cpuMs'), maxRssMiB: pick('maxRssMiB') };
}
