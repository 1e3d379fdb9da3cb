import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { buildRequests } from '../../src/apply/build-requests.js';
import { contentHashOf, messageIdFor } from '../../src/api/identity.js';
import type { RequestBody } from '../../src/api/types.js';
import { createRandom } from '../../src/emulator/random.js';
import { canonicalEntry, digestEntries } from '../../src/plan/entries-digest.js';
import { emptySummary } from '../../src/plan/summarize-plan.js';
import { STAGES, type Plan, type SendEntry, type Stage } from '../../src/plan/types.js';
import type { JournalRecord, StateStore } from '../../src/state/types.js';
import type { SendResult, Transport } from '../../src/transport/types.js';

const PENDING = {
  groupId: 1,
  groupName: 'PENDING',
  id: 26,
  name: 'PENDING_ACCEPTED',
  description: 'ok',
};

/** A plan of `stages.length` messages of two specs and two contents, entry i in stages[i]. */
function planOf(stages: ReadonlyArray<Stage | undefined>, batchSize = 2): Plan {
  const contents = [{ whatsApp: { text: 'a' } }, { whatsApp: { text: 'b' } }];
  const entries = stages.map((stage, i): SendEntry => {
    const phoneNumber = `41791000${String(i).padStart(3, '0')}`;
    const spec = i % 3 === 0 ? 'one' : 'two';
    return {
      action: 'send',
      messageId: messageIdFor(spec, 1, phoneNumber),
      spec,
      revision: 1,
      phoneNumber,
      contentHash: contentHashOf(contents[i % 2] ?? { whatsApp: {} }),
      ...(stage ? { stage } : {}),
    };
  });
  return {
    formatVersion: 1,
    createdAt: '',
    specs: ['one', 'two'].map((name) => ({ name, file: `${name}.yaml`, revision: 1, batchSize })),
    contents: Object.fromEntries(contents.map((c) => [contentHashOf(c), c])),
    entries,
    summary: { ...emptySummary(), send: entries.length },
    inputs: { files: [], state: { location: '', sha256: '' } },
    options: { retryRejected: false, resendInDoubt: false, targets: [] },
    diagnostics: [],
  };
}

const memoryStore = (): StateStore & { records: JournalRecord[] } => {
  const records: JournalRecord[] = [];
  return {
    records,
    location: 'memory',
    read: () => Promise.reject(new Error('not read')),
    append: (r) => {
      records.push(...r);
      return Promise.resolve();
    },
    lock: () => Promise.reject(new Error('not locked')),
    readContents: () => Promise.resolve(new Map()),
  };
};

/** Answers each request after a random number of event-loop turns; logs when each starts and ends. */
function shuffledTransport(seed: number): Transport & { events: string[] } {
  const random = createRandom(seed);
  const events: string[] = [];
  return {
    events,
    async send(body: RequestBody): Promise<SendResult> {
      events.push(`start ${body.bulkId}`);
      for (let turns = Math.floor(random() * 5); turns > 0; turns--)
        await new Promise(setImmediate);
      events.push(`end ${body.bulkId}`);
      return {
        kind: 'ok',
        response: {
          bulkId: body.bulkId,
          messages: body.destinations.map((d) => ({
            messageId: d.messageId,
            to: d.to,
            status: PENDING,
          })),
        },
      };
    },
    refreshToken: () => Promise.resolve(),
    close() {},
  };
}

const rank = (stage: Stage | undefined) => STAGES.indexOf(stage ?? 'rest');

test('requests hold one stage each and come seed, canary, rest; a plan without stages groups as before', () => {
  const random = createRandom(7);
  const stages = Array.from({ length: 40 }, () => STAGES[Math.floor(random() * 3)]);
  const requests = buildRequests(planOf(stages));
  const byId = new Map(planOf(stages).entries.map((e) => [e.messageId, e]));
  for (const request of requests) {
    const own = new Set(request.entries.map((e) => (byId.get(e.messageId) as SendEntry).stage));
    assert.equal([...own], [request.stage], 'one stage per request, named by the request');
  }
  const order = requests.map((r) => rank(r.stage));
  assert.equal(
    order,
    [...order].sort((a, b) => a - b),
    'stage order',
  );
  assert.is(
    requests.reduce((n, r) => n + r.entries.length, 0),
    40,
  );

  const plain = buildRequests(planOf(Array.from({ length: 40 }, () => undefined)));
  const allRest = buildRequests(planOf(Array.from({ length: 40 }, () => 'rest' as const)));
  assert.equal(
    plain.map((r) => r.body),
    allRest.map((r) => r.body),
    'no stage is the rest: the same bodies',
  );
  assert.ok(plain.every((r) => r.stage === undefined));
});

for (const seed of [1, 2, 3, 4, 5]) {
  test(`apply answers every request of a stage before it sends one of the next (seed ${seed})`, async () => {
    const random = createRandom(seed);
    const stages = Array.from({ length: 30 }, () => STAGES[Math.floor(random() * 3)]);
    const plan = planOf(stages, 1 + Math.floor(random() * 3));
    const requests = buildRequests(plan);
    const stageOf = new Map(requests.map((r) => [r.body.bulkId, rank(r.stage)]));
    const transport = shuffledTransport(seed);
    const result = await applyPlan(plan, { store: memoryStore(), transport, concurrency: 4 });
    assert.is(result.messages.accepted, 30);
    let ended = -1;
    const open = new Map<number, number>();
    for (const event of transport.events) {
      const [kind, bulkId] = event.split(' ');
      const stage = stageOf.get(bulkId ?? '') ?? -1;
      if (kind === 'start') {
        for (const [earlier, count] of open)
          assert.ok(
            earlier >= stage || count === 0,
            `a stage ${stage} request started while stage ${earlier} was out`,
          );
        assert.ok(stage >= ended, 'no request of an earlier stage after a later one');
        ended = Math.max(ended, stage);
        open.set(stage, (open.get(stage) ?? 0) + 1);
      } else open.set(stage, (open.get(stage) ?? 1) - 1);
    }
  });
}

test('the entries digest covers the stage, and is unchanged for entries without one', () => {
  const [plain] = planOf([undefined]).entries;
  const [rest] = planOf(['rest']).entries;
  const [canary] = planOf(['canary']).entries;
  if (!plain || !rest || !canary) throw new Error('no entries');
  assert.not.ok(canonicalEntry(plain).includes('rest'));
  assert.is.not(digestEntries([rest]).sha256, digestEntries([canary]).sha256);
  assert.is.not(digestEntries([plain]).sha256, digestEntries([rest]).sha256);
});

test.run();
