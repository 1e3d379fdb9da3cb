// Runs every test/**/*.test.ts with uvu (through tsx) and ends with one
// "N passed, N failed" line, which CI reads.
import { spawn } from 'node:child_process';

// A pattern picks test files by path; only *.test.ts files (never fixtures or artifacts) are run.
// Paths are matched below test/, so a leading test/ (as a shell completes it) is dropped.
const pattern = process.argv[2]?.replace(/^(\.\/)?test\//, '');
// Any *.test.ts whose path matches the pattern anywhere (`e2e/workers\.test` as well as `e2e/`).
const filter =
  pattern === undefined
    ? '\\.test\\.ts$'
    : `^(?=.*\\.test\\.ts$).*(?:${pattern.replace(/\$$/, '')})`;
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', filter, '--no-color'],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } },
);
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  // uvu's Total counts the tests that ran; skipped ones are outside it.
  const failed = total - passed;
  process.stdout.write(
    `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  process.exit(code === 0 && total > 0 && failed === 0 ? 0 : 1);
});
