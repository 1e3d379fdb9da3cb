// Preloaded with `node --import` into a measured child: on exit it writes the process's own CPU
// time (every thread) and peak RSS to the file named by WASPEC_BENCH_RUSAGE.
import { writeFileSync } from 'node:fs';

const out = process.env.WASPEC_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({
        cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000,
        maxRssMiB: r.maxRSS / 1024,
      }),
    );
  });
}
