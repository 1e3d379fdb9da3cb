// Small hostile files (bench/hostile-files.mjs) through `validate` and `plan`: each should take
// about a second whatever its rows share (one shared string, one repeated row, deep nesting).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  writeDeepJson,
  writeDeepNdjson,
  writeDeepSpec,
  writeRepeatedRowsCsv,
  writeSharedStringXlsx,
  writeUnclosedQuoteCsv,
} from './hostile-files.mjs';
import { measure, medians } from './measure.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const dir = new URL('./data/hostile/', import.meta.url).pathname;

export async function benchHostile() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cases = [
    ['xlsx: 2,000 rows → one 1 MB shared string', await writeSharedStringXlsx(dir), 'shared.xlsx'],
    ['csv: 100,000 identical rows', writeRepeatedRowsCsv(dir), 'repeated.csv'],
    ['csv: a quote never closed, 100,000 rows', writeUnclosedQuoteCsv(dir), 'unclosed.csv'],
    ['ndjson: vars nested 5,000 deep', writeDeepNdjson(dir), 'deep.ndjson'],
    ['json: vars nested 5,000 deep', writeDeepJson(dir), 'deep.json'],
    ['spec: vars nested 5,000 deep', writeDeepSpec(dir), 'deep-spec.yaml'],
  ];
  console.log(`\nhostile files (median of ${RUNS}; pretty output, code frames included)`);
  for (const [what, spec, file] of cases) {
    const size = statSync(`${dir}${file}`).size;
    for (const command of ['validate', 'plan']) {
      const runs = [];
      for (let i = 0; i < RUNS; i++)
        runs.push(
          await measure([cli, command, basename(spec)], { cwd: dirname(spec), okCodes: [0, 1] }),
        );
      const m = medians(runs);
      console.log(
        `${what.padEnd(44)} ${command.padEnd(8)} ${(size / 1024).toFixed(0).padStart(6)} KiB  ${(m.wallMs / 1000).toFixed(2).padStart(6)} s wall  ${(m.cpuMs / 1000).toFixed(2).padStart(6)} s CPU  ${m.maxRssMiB.toFixed(0).padStart(5)} MiB`,
      );
    }
  }
}
