// Child of bench/state.mjs (node --expose-gc): reads a state once and prints, as JSON, the memory
// its snapshot holds (heap and array buffers after a full GC, beside the same before the read) and
// the read's CPU time. `file DIR` or `postgres URL WORKSPACE`.
import { openFileStateStore } from '../dist/state/file-state.js';
import { checkJournalValue } from '../dist/state/journal-format.js';
import { openPgStateStore } from '../dist/state/pg-state.js';
import { parsePostgresTarget } from '../dist/state/state-target.js';

const [kind, where, workspace] = process.argv.slice(2);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const held = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  // Typed arrays live outside the V8 heap: external (which includes arrayBuffers) counts them.
  return m.heapUsed + m.external;
};
const store =
  kind === 'file'
    ? openFileStateStore(where)
    : openPgStateStore(parsePostgresTarget(where, workspace));
// The journal's validators (and pg, which the PostgreSQL state loads on connecting) are loaded
// before the baseline: they are code, not the state.
checkJournalValue({ waspec: 'state', formatVersion: 1 }, 'warm-up');
if (kind !== 'file') await import('pg');
const before = held();
const cpu = process.cpuUsage();
const snapshot = await store.read();
const used = process.cpuUsage(cpu);
const after = held();
const messages = snapshot.messages.size;
// One look-up and one value, so the snapshot is alive and usable at the second figure.
const first = snapshot.messages.values().next().value;
if (first && snapshot.messages.get(first.messageId)?.messageId !== first.messageId)
  throw new Error('the snapshot does not find its own first message');
await store.close();
console.log(
  JSON.stringify({
    messages,
    records: snapshot.records,
    bytes: after - before,
    cpuMs: (used.user + used.system) / 1000,
  }),
);
