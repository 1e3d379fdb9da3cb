// compile and plan (no state) of a personalised CSV beside the floor (bench/floor.mjs: the per-row
// work any correct compiler does, on one thread), then plan against a state holding every message.
// Each figure comes from its own child process; the commands alternate so that a busy moment on a
// shared machine hits all of them alike, and each figure is the median of its runs.
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { contentHashOf, messageIdFor } from '../dist/api/identity.js';
import { judge } from './goals.mjs';
import { measure, medians } from './measure.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = new URL('./data/', import.meta.url).pathname;
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const floor = new URL('./floor.mjs', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

const phoneOf = (i) => `4179${String(i).padStart(7, '0')}`;
const textOf = (i) => `Hi Person ${i}, your code is C${i}`;

/** The first line of a journal as waspec wrote them before contents were kept. */
export const JOURNAL_HEADER = '{"waspec":"state","formatVersion":1}\n';

const PENDING = {
  groupId: 1,
  groupName: 'PENDING',
  id: 7,
  name: 'PENDING_ENROUTE',
  description: 'Message sent to next instance',
};

/** A request's in-flight record (version 1) and its outcome, every message accepted. */
export function acceptedLines(bulkId, at, messages) {
  const results = messages.map(({ messageId }) => ({
    messageId,
    outcome: 'accepted',
    status: PENDING,
  }));
  return `${JSON.stringify({ v: 1, type: 'in-flight', at, bulkId, messages })}\n${JSON.stringify({ v: 1, type: 'outcome', at, bulkId, results })}\n`;
}

export async function writeLines(file, count, lineOf, first) {
  const out = createWriteStream(file);
  if (first) out.write(first);
  for (let i = 0; i < count; i++) if (!out.write(lineOf(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The bench's personalised text spec over n recipients (files kept between runs). */
export async function generate(n) {
  const base = `${dir}recipients-${n}`;
  if (!existsSync(`${base}.csv`))
    await writeLines(
      `${base}.csv`,
      n,
      (i) => `${phoneOf(i)},Person ${i},C${i}\n`,
      'phoneNumber,name,code\n',
    );
  writeFileSync(
    `${base}.yaml`,
    `name: bench-${n}\nrevision: 1\nwhatsApp:\n  text: "Hi {{name}}, your code is {{code}}"\nrecipients:\n  - file: recipients-${n}.csv\n`,
  );
  return { spec: `${base}.yaml`, csv: `${base}.csv` };
}

/** A state where every message of the spec was accepted: in-flight and outcome records of 100. */
export async function generateState(n) {
  const state = `${dir}state-${n}`;
  const journal = `${state}/journal.ndjson`;
  if (existsSync(journal)) return state;
  mkdirSync(state, { recursive: true });
  const spec = `bench-${n}`;
  const at = '2026-01-01T00:00:00.000Z';
  const lines = Math.ceil(n / 100);
  await writeLines(
    journal,
    lines,
    (r) => {
      const messages = [];
      for (let i = r * 100; i < Math.min(n, r * 100 + 100); i++) {
        const phoneNumber = phoneOf(i);
        const messageId = messageIdFor(spec, 1, phoneNumber);
        messages.push({
          messageId,
          spec,
          revision: 1,
          phoneNumber,
          maskedPhoneNumber: `${phoneNumber.slice(0, 4)}*****${phoneNumber.slice(-2)}`,
          contentHash: contentHashOf({ whatsApp: { text: textOf(i) } }),
        });
      }
      return acceptedLines(`B${r}`, at, messages);
    },
    JOURNAL_HEADER,
  );
  return state;
}

const fmt = (r) =>
  `${(r.wallMs / 1000).toFixed(2).padStart(6)} s ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s ${r.maxRssMiB.toFixed(0).padStart(5)} MiB`;
export async function benchCompile() {
  const out = `${dir}out`;
  const empty = `${dir}state-empty`;
  for (const n of SIZES) {
    const { spec, csv } = await generate(n);
    const state = await generateState(n);
    rmSync(empty, { recursive: true, force: true });
    const commands = {
      floor: [floor, csv],
      compile: [cli, 'compile', '--out', out, spec],
      plan: [cli, 'plan', '--state', empty, spec],
      'plan, state of all': [cli, 'plan', '--state', state, spec],
    };
    const runs = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const [name, args] of Object.entries(commands)) {
        // plan exits 2 never here (no --detailed-exitcode); compile and plan exit 0.
        const r = await measure(args);
        if (name === 'floor' && JSON.parse(r.stdout).recipients !== n)
          throw new Error('floor did not count every recipient');
        runs[name].push(r);
      }
      rmSync(out, { recursive: true, force: true });
    }
    const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)]));
    console.log(
      `\ncompile and plan of ${n.toLocaleString('en-US')} personalised recipients beside the floor (median of ${RUNS} alternating runs)`,
    );
    console.log(
      '                               wall      CPU  peak RSS | wall/floor CPU/floor | goals (issue 26)',
    );
    console.log(`${'floor (bench/floor.mjs)'.padEnd(26)} ${fmt(m.floor)} |`);
    const at = `at ${n.toLocaleString('en-US')}`;
    for (const name of ['compile', 'plan']) {
      const r = m[name];
      const wall = r.wallMs / m.floor.wallMs;
      const cpu = r.cpuMs / m.floor.cpuMs;
      const goals =
        name === 'compile'
          ? [
              judge('compileWall', wall, at),
              judge('compileCpu', cpu, at),
              `RSS ${judge('compileRss', r.maxRssMiB, at)}`,
            ]
          : [`RSS ${judge('planRss', r.maxRssMiB, at)}`];
      console.log(
        `${`waspec ${name}`.padEnd(26)} ${fmt(r)} | ${wall.toFixed(2).padStart(9)}x ${cpu.toFixed(2).padStart(8)}x | ${goals.join('; ')}`,
      );
    }
    const s = m['plan, state of all'];
    console.log(
      `${'waspec plan, state of all'.padEnd(26)} ${fmt(s)} | ${(s.wallMs / m.plan.wallMs).toFixed(2)}x plan's wall, ${(s.cpuMs / m.plan.cpuMs).toFixed(2)}x its CPU | RSS ${judge('planRss', s.maxRssMiB, `with a state of all, ${at}`)}`,
    );
  }
}
