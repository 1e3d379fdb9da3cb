// Preloaded (NODE_OPTIONS=--import) into a measured child and every node process it starts (apply
// --workers): on exit each appends a line of its own CPU time (every thread) and peak RSS to the
// file named by WASPEC_BENCH_RUSAGE.
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.WASPEC_BENCH_RUSAGE;
// A worker thread's usage is its process's: only the main thread writes it.
if (out && isMainThread) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    appendFileSync(
      out,
      `${JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, maxRssMiB: r.maxRSS / 1024 })}\n`,
    );
  });
}
