// The suppression check at 1M recipients × 1M suppressed numbers: reading the list (normalised like
// recipients) and applying it to a plan of 1M messages (one Set lookup each).
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { fileSuppressionSource } from '../dist/suppressions/file-suppressions.js';
import { applyPolicies } from '../dist/plan/policy/apply-policies.js';

const N = Number(process.env.BENCH_SUPPRESSIONS ?? 1_000_000);
const dir = new URL('./data/', import.meta.url);
mkdirSync(dir, { recursive: true });

/** Every other number of the recipients' range and as many outside it, with a reason on some lines. */
async function generate(n) {
  const file = new URL(`suppressions-${n}.csv`, dir).pathname;
  if (existsSync(file)) return file;
  const out = createWriteStream(file);
  out.write('phoneNumber,reason,date\n');
  for (let i = 0; i < n; i++) {
    const number = i % 2 === 0 ? `+41 79 ${String(i).padStart(7, '0')}` : `4178${String(i).padStart(7, '0')}`;
    if (!out.write(`${number},${i % 10 === 0 ? 'replied STOP' : ''},${i % 10 === 0 ? '2026-01-02' : ''}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

const mib = () => process.memoryUsage().rss / 2 ** 20;

export async function benchSuppress() {
  const file = await generate(N);
  globalThis.gc?.();
  const rssBefore = mib();
  let t = performance.now();
  const list = await fileSuppressionSource([file]).read();
  const readMs = performance.now() - t;
  const rssList = mib();
  const entries = Array.from({ length: N }, (_, i) => {
    const phoneNumber = `4179${String(i).padStart(7, '0')}`;
    return { action: 'send', messageId: `m${i}`, spec: 'bench', revision: 1, phoneNumber, contentHash: 'h' };
  });
  t = performance.now();
  applyPolicies(entries, { policy: {}, suppressed: list.numbers, specs: new Map(), state: { messages: new Map() }, contents: {}, now: new Date() });
  const checkMs = performance.now() - t;
  const held = entries.filter((e) => e.action === 'suppressed').length;
  const n = (x) => x.toLocaleString('en-US');
  console.log(`\nsuppression list (${n(N)} numbers, CSV) against a plan of ${n(N)} messages`);
  console.log(`read and normalise the list   ${(readMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(N / (readMs / 1000))).padStart(9)} numbers/s  +${(rssList - rssBefore).toFixed(0)} MiB RSS`);
  console.log(`check ${n(N)} messages        ${(checkMs / 1000).toFixed(2).padStart(6)} s  ${n(Math.round(N / (checkMs / 1000))).padStart(9)} messages/s  (${n(held)} suppressed)`);
}
