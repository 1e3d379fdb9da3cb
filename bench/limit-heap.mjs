// What the messaging limit's holds keep (node --expose-gc bench/limit-heap.mjs [N]): a plan of N
// new recipients (default 200,000) against a state of N messages sent in the last 24 hours, each at
// its own time, and a limit of N: every planned message is held, each until its own time (the
// k-th over the limit takes the k-th place to free). Prints the heap and array buffers the plan
// holds more after the policy than before it (after a full GC), how many distinct reasons its
// entries read, and the CPU of the policy and of one pass reading every entry. Not a timed test:
// figures for docs/scale.md ("What is left").
import { messageIdFor } from '../dist/api/identity.js';
import { EntryTable } from '../dist/plan/entry-table.js';
import { applyPolicies } from '../dist/plan/policy/apply-policies.js';

const n = Number(process.argv[2] ?? 200_000);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const held = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const now = new Date('2026-03-10T12:00:00.000Z');
// The state: n messages of a spec gone, sent 23 h to 6 h ago, 300 ms apart (each its own time).
const messages = new Map();
for (let i = 0; i < n; i++) {
  const messageId = messageIdFor('old', 1, `4178${String(i).padStart(8, '0')}`);
  const sentAt = new Date(now.getTime() - 23 * 3_600_000 + i * 300).toISOString();
  messages.set(messageId, {
    messageId,
    spec: 'old',
    revision: 1,
    maskedPhoneNumber: '',
    contentHash: 'h',
    bulkId: 'b',
    sentAt,
    updatedAt: sentAt,
    outcome: 'accepted',
  });
}
const hash = 'a'.repeat(64);
const entries = new EntryTable(messages);
for (let i = 0; i < n; i++) {
  const phone = `4179${String(i).padStart(8, '0')}`;
  entries.append(
    'send',
    messageIdFor('new', 1, phone),
    'new',
    1,
    phone,
    hash,
    undefined,
    false,
    false,
  );
}
entries.seal();
const context = {
  policy: { messagingLimit: n },
  suppressed: new Map(),
  specs: new Map([['new', { priority: 0 }]]),
  state: { messages },
  contents: { [hash]: { text: 'Hello' } },
  now,
};
const before = held();
const cpu = process.cpuUsage();
applyPolicies(entries, context);
const used = process.cpuUsage(cpu);
const after = held();
// One pass over the plan, as each of its outputs makes: every entry built, its reason read.
const read = process.cpuUsage();
const reasons = new Set();
let limited = 0;
for (const entry of entries) {
  if (entry.action !== 'limit') continue;
  limited++;
  reasons.add(entry.hold.reason);
}
const readUsed = process.cpuUsage(read);
console.log(
  JSON.stringify({
    held: limited,
    distinctReasons: reasons.size,
    keptMiB: Math.round(((after - before) / 2 ** 20) * 10) / 10,
    bytesPerHeld: Math.round((after - before) / Math.max(limited, 1)),
    policyCpuMs: Math.round((used.user + used.system) / 1000),
    readCpuMs: Math.round((readUsed.user + readUsed.system) / 1000),
  }),
);
