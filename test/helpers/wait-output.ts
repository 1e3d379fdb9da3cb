import type { ChildProcess } from 'node:child_process';

/** Collects a child's stdout and waits for text matching a pattern (with a timeout, never a sleep). */
export function outputOf(child: ChildProcess): {
  text: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
} {
  let text = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  return {
    text: () => text,
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Polls `condition` until it holds; fails after `timeoutMs` (generous: CI machines are shared) rather than hanging the run. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
