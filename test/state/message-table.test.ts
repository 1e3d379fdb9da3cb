import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkIdFor, messageIdFor } from '../../src/api/identity.js';
import { emptyFold, foldedSnapshot, foldRecord } from '../../src/state/fold-journal.js';
import type { JournalRecord, MessageState } from '../../src/state/types.js';
import { random } from '../helpers/random.js';

/**
 * Folding into objects, as the state did before its messages were kept in columns: the reference
 * the table must equal, values and key order (state list --format json prints the objects).
 */
function referenceFold(records: readonly JournalRecord[]): Map<string, MessageState> {
  const messages = new Map<string, MessageState>();
  for (const record of records) {
    if (record.type === 'in-flight') {
      for (const m of record.messages) {
        const before = messages.get(m.messageId);
        messages.set(m.messageId, {
          messageId: m.messageId,
          spec: m.spec,
          revision: m.revision,
          maskedPhoneNumber: m.maskedPhoneNumber,
          contentHash: m.contentHash,
          ...(m.writtenHash === undefined ? {} : { writtenHash: m.writtenHash }),
          bulkId: record.bulkId,
          sentAt: before?.sentAt ?? record.at,
          updatedAt: record.at,
          outcome: 'in-flight',
          ...(m.test ? { test: true as const } : {}),
        });
      }
    } else if (record.type === 'outcome') {
      for (const r of record.results) {
        const state = messages.get(r.messageId);
        if (!state) continue;
        state.outcome = r.outcome;
        state.updatedAt = record.at;
        delete state.settled;
        state.bulkId = record.bulkId;
        delete state.status;
        delete state.httpStatus;
        delete state.error;
        if (r.status !== undefined) state.status = r.status;
        if (r.httpStatus !== undefined) state.httpStatus = r.httpStatus;
        if (r.error !== undefined) state.error = r.error;
      }
    } else if (record.type === 'settle') {
      for (const messageId of record.messageIds) {
        const state = messages.get(messageId);
        if (!state) continue;
        delete state.status;
        delete state.httpStatus;
        delete state.error;
        state.outcome = record.as === 'accepted' ? 'accepted' : 'failed';
        if (record.as === 'not-sent')
          state.error = `settled as not sent by ${record.by}: ${record.reason}`;
        state.updatedAt = record.at;
        state.settled = { as: record.as, by: record.by, at: record.at, reason: record.reason };
      }
    }
  }
  return messages;
}

const hex = (n: number, seed: number) => messageIdFor('h', seed, String(n)).replace(/-/g, '');

/** A journal mixing what waspec writes with what a state of an older or other writer may hold. */
function journal(seed: number, size: number): JournalRecord[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ids = Array.from({ length: size }, (_, i) =>
    rnd() < 0.1
      ? pick([`id-${i}`, messageIdFor('s', 1, String(i)).toUpperCase(), `m${i}`])
      : messageIdFor(pick(['a', 'b']), 1, String(i)),
  );
  const times = [
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:01.250Z',
    '2026-03-01T10:00:00.000Z',
    '2026-01-01T00:00:02Z',
    '2026-01-01T01:00:00.000+01:00',
    '2031-01-01T00:00:00.000Z',
    'not a time',
  ];
  const statuses = Array.from({ length: 300 }, (_, i) => ({
    groupId: i % 7,
    groupName: 'PENDING',
    id: i,
    name: `S${i}`,
    description: `status ${i}`,
  }));
  const records: JournalRecord[] = [];
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const at = () => {
    clock += Math.floor(rnd() * 5000);
    return rnd() < 0.1 ? pick(times) : new Date(clock).toISOString();
  };
  for (let step = 0; step < size * 2; step++) {
    const kind = rnd();
    if (kind < 0.45) {
      const chosen = Array.from({ length: 1 + Math.floor(rnd() * (rnd() < 0.5 ? 1 : 4)) }, () =>
        pick(ids),
      );
      const bulkId =
        chosen.length === 1 && rnd() < 0.7
          ? bulkIdFor(chosen)
          : pick([bulkIdFor(chosen), `B${step}`, hex(step, seed), bulkIdFor([pick(ids)])]);
      records.push({
        v: rnd() < 0.5 ? 4 : 7,
        type: 'in-flight',
        at: at(),
        bulkId,
        messages: chosen.map((messageId) => ({
          messageId,
          spec: pick(['a', 'b', 'c|1', '']),
          revision: pick([1, 2, 10]),
          maskedPhoneNumber: pick(['417****6727', '417****0001', '***01', '']),
          contentHash: pick([
            hex(1, seed),
            hex(2, seed),
            hex(step, seed),
            'h-1',
            hex(3, seed).toUpperCase(),
          ]),
          ...(rnd() < 0.3 ? { writtenHash: pick([hex(9, seed), 'w']) } : {}),
          ...(rnd() < 0.1 ? { test: true as const } : {}),
        })),
      });
    } else if (kind < 0.85) {
      const earlier = [...records].reverse().find((r) => r.type === 'in-flight' && rnd() < 0.5);
      const named =
        earlier?.type === 'in-flight' ? earlier.messages.map((m) => m.messageId) : [pick(ids)];
      records.push({
        v: 1,
        type: 'outcome',
        at: at(),
        bulkId: earlier?.type === 'in-flight' && rnd() < 0.8 ? earlier.bulkId : `O${step}`,
        results: [...named, ...(rnd() < 0.1 ? [`unknown-${step}`] : [])].map((messageId) => {
          const outcome = pick(['accepted', 'accepted', 'rejected', 'failed'] as const);
          return {
            messageId,
            outcome,
            ...(outcome !== 'failed' && rnd() < 0.9
              ? { status: rnd() < 0.5 ? statuses[0] : { ...pick(statuses) } }
              : {}),
            ...(outcome === 'failed' && rnd() < 0.5 ? { httpStatus: pick([500, 503]) } : {}),
            ...(outcome === 'failed' || rnd() < 0.05 ? { error: pick(['timeout', 'reset']) } : {}),
          };
        }),
      });
    } else {
      records.push({
        v: 2,
        type: 'settle',
        at: at(),
        by: 'ops',
        reason: pick(['seen in the console', 'not there']),
        as: pick(['accepted', 'not-sent'] as const),
        messageIds: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(ids)),
      });
    }
  }
  return records;
}

function snapshotOf(records: readonly JournalRecord[]) {
  const folded = emptyFold();
  for (const record of records) foldRecord(folded, record);
  return foldedSnapshot(folded).messages;
}

test('the table gives the messages folding into objects gave: values, key order, iteration order', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const records = journal(seed, seed < 30 ? 30 : 400);
    const expected = referenceFold(records);
    const table = snapshotOf(records);
    assert.is(table.size, expected.size, `seed ${seed}: size`);
    assert.is(
      JSON.stringify([...table.values()]),
      JSON.stringify([...expected.values()]),
      `seed ${seed}: values in order`,
    );
    assert.equal([...table.keys()], [...expected.keys()], `seed ${seed}: keys`);
    for (const [id, state] of expected) {
      assert.ok(table.has(id));
      assert.is(JSON.stringify(table.get(id)), JSON.stringify(state), `seed ${seed}: get ${id}`);
    }
    for (const id of ['nope', messageIdFor('z', 1, '1'), '']) {
      assert.is(table.get(id), undefined);
      assert.not.ok(table.has(id));
    }
  }
});

test('many messages: chunks and the index grow, every message is found', () => {
  const n = 150_000;
  const at = '2026-01-01T00:00:00.000Z';
  const records: JournalRecord[] = [];
  const ids: string[] = [];
  for (let r = 0; r < n / 100; r++) {
    const messages = Array.from({ length: 100 }, (_, k) => {
      const messageId = messageIdFor('big', 1, String(r * 100 + k));
      ids.push(messageId);
      return {
        messageId,
        spec: 'big',
        revision: 1,
        maskedPhoneNumber: '417****0000',
        contentHash: hex(r * 100 + k, 7),
      };
    });
    records.push({ v: 4, type: 'in-flight', at, bulkId: bulkIdFor(ids.slice(-100)), messages });
  }
  const table = snapshotOf(records);
  assert.is(table.size, n);
  let i = 0;
  for (const state of table.values()) assert.is(state.messageId, ids[i++]);
  for (const [k, id] of ids.entries())
    if (k % 997 === 0) assert.is(table.get(id)?.contentHash, hex(k, 7));
  // Sealed: the last chunk trimmed and the index resized to fit; every id still found, others not.
  assert.ok(ids.every((id) => table.has(id)));
  for (let k = 0; k < 1000; k++) assert.not.ok(table.has(messageIdFor('other', 1, String(k))));
});

test('sentAt kept exactly however far from the first of its chunk (ms offsets, else beside)', () => {
  const times = [
    '2026-01-01T00:00:00.000Z',
    '2026-01-25T20:31:23.647Z', // 2^31 - 1 ms after the first: the last offset that fits
    '2026-01-25T20:31:23.648Z',
    '2025-12-07T03:28:36.353Z', // 2^31 - 1 ms before
    '2025-12-07T03:28:36.352Z', // 2^31 ms before: the held marker's value, so held
    '1970-01-01T00:00:00.000Z',
    '2099-12-31T23:59:59.999Z',
    '2026-01-01T00:00:00Z',
    'not a time',
  ];
  const records: JournalRecord[] = times.map((at, k) => ({
    v: 4,
    type: 'in-flight',
    at,
    bulkId: `B${k}`,
    messages: [
      {
        messageId: messageIdFor('t', 1, String(k)),
        spec: 't',
        revision: 1,
        maskedPhoneNumber: '417****0000',
        contentHash: hex(k, 3),
      },
    ],
  }));
  records.push(
    ...times.map((_, k): JournalRecord => ({
      v: 1,
      type: 'outcome',
      at: '2026-01-02T00:00:00.000Z',
      bulkId: `B${k}`,
      results: [{ messageId: messageIdFor('t', 1, String(k)), outcome: 'accepted' }],
    })),
  );
  const table = snapshotOf(records);
  assert.equal(
    [...table.values()].map((m) => [m.sentAt, m.updatedAt]),
    times.map((at) => [at, '2026-01-02T00:00:00.000Z']),
  );
  assert.is(
    JSON.stringify([...table.values()]),
    JSON.stringify([...referenceFold(records).values()]),
  );
});

test.run();
