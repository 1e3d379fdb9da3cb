// buildPlan's memory (node --expose-gc bench/plan-heap.mjs SPEC.yaml STATE_DIR): what the plan
// holds after a full GC (heap and array buffers, beside the same before), per recipient, and the
// peak RSS of the process. STATE_DIR a file state (a fresh empty folder: every message is sent).
// WASPEC_RESIDENT_PAGES sets the plan's pages kept in memory.
import { buildPlan } from '../dist/plan/build-plan.js';
import { openFileStateStore } from '../dist/state/file-state.js';

const [spec, state] = process.argv.slice(2);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
if (!spec || !state) throw new Error('usage: plan-heap.mjs SPEC.yaml STATE_DIR');
const held = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
};
const store = openFileStateStore(state);
const before = held();
const cpu = process.cpuUsage();
const plan = await buildPlan({ paths: [spec], store });
const used = process.cpuUsage(cpu);
const after = held();
const n = plan.entries.length;
// The plan is alive and usable at the second figure.
if (plan.entries.at(n - 1)?.spec === undefined) throw new Error('no last entry');
await store.close?.();
const heap = after.heap - before.heap;
const external = after.external - before.external;
console.log(
  JSON.stringify({
    entries: n,
    bytesPerRecipient: Math.round((heap + external) / n),
    heapMiB: Math.round(heap / 2 ** 20),
    externalMiB: Math.round(external / 2 ** 20),
    cpuMs: Math.round((used.user + used.system) / 1000),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
