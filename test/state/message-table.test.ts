import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bulkIdFor, messageIdFor } from '../../src/api/identity.js';
import { emptyFold, foldedSnapshot, foldRecord } from '../../src/state/fold-journal.js';
import type { MessageTableOptions } from '../../src/state/message-table.js';
import type { JournalRecord, MessageState } from '../../src/state/types.js';
import { createRandom as random } from '../../src/emulator/random.js';
import { withTmpDir } from './tmp-dir.js';

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

function snapshotOf(records: readonly JournalRecord[], pages?: MessageTableOptions) {
  const folded = emptyFold(pages);
  for (const record of records) foldRecord(folded, record);
  // The snapshot's table is the fold's, sealed.
  assert.is(foldedSnapshot(folded).messages, folded.messages);
  return folded.messages;
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

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `n` messages (a few not UUIDs), most in requests of their own under a bulkId of its own, every
 * content its own (so content hashes and bulkIds fill pages too); then, from the first message to
 * the last, outcomes, settlements and re-openings of messages all over the table: by then the
 * pages of all but the last messages have been written out.
 */
function spreadJournal(n: number): { records: JournalRecord[]; touched: string[] } {
  const rnd = random(26);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const ids = Array.from({ length: n }, (_, i) =>
    i % 997 === 5 ? `other-${i}` : messageIdFor('p', 1, String(i)),
  );
  const records: JournalRecord[] = [];
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const at = () => new Date((clock += 1 + Math.floor(rnd() * 900))).toISOString();
  for (let i = 0; i < n;) {
    const chosen = ids.slice(i, (i += rnd() < 0.9 ? 1 : 3));
    records.push({
      v: 4,
      type: 'in-flight',
      at: at(),
      bulkId: chosen.length === 1 && rnd() < 0.05 ? bulkIdFor(chosen) : sha(`b${i}`).toUpperCase(),
      messages: chosen.map((messageId) => ({
        messageId,
        spec: 'p',
        revision: 1,
        maskedPhoneNumber: '417****0000',
        contentHash: sha(`c${messageId}`),
      })),
    });
  }
  const touched: string[] = [];
  for (let i = 0; i < n; i += 1 + Math.floor(rnd() * 5)) {
    const messageId = ids[i] as string;
    touched.push(messageId);
    const kind = rnd();
    if (kind < 0.55) {
      const result = pick(['accepted', 'rejected', 'failed'] as const);
      records.push({
        v: 1,
        type: 'outcome',
        at: rnd() < 0.05 ? '2031-01-01T00:00:00.000Z' : at(),
        bulkId: rnd() < 0.5 ? sha(`o${i}`).toUpperCase() : `O${i}`,
        results: [
          {
            messageId,
            outcome: result,
            ...(result === 'failed'
              ? { httpStatus: 503, error: 'timeout' }
              : {
                  status: {
                    groupId: 5,
                    groupName: 'REJECTED',
                    id: i % 400,
                    name: `S${i % 400}`,
                    description: 'status',
                  },
                }),
          },
        ],
      });
    } else if (kind < 0.8) {
      records.push({
        v: 2,
        type: 'settle',
        at: at(),
        by: 'ops',
        reason: 'seen in the console',
        as: pick(['accepted', 'not-sent'] as const),
        messageIds: [messageId],
      });
    } else {
      records.push({
        v: 4,
        type: 'in-flight',
        at: at(),
        bulkId: bulkIdFor([messageId]),
        messages: [
          {
            messageId,
            spec: 'p',
            revision: 2,
            maskedPhoneNumber: '417****0001',
            contentHash: sha(`again${messageId}`),
            writtenHash: sha('w'),
          },
        ],
      });
    }
  }
  return { records, touched };
}

test('pages written out and read back: a table keeping 2 pages in memory gives what one keeping all gives, changes to written-out messages kept', () =>
  withTmpDir(async (dir) => {
    // Over four pages of 65,536 messages, and as many content hashes and bulkIds.
    const n = 4 * 65_536 + 3_000;
    const { records, touched } = spreadJournal(n);
    const folder = join(dir, 'pages');
    const paged = snapshotOf(records, { resident: 2, dir: folder });
    const whole = snapshotOf(records, { resident: 1_000 });
    assert.ok(paged.spilled, 'pages written out');
    assert.not.ok(whole.spilled);
    assert.ok(existsSync(folder), 'the page file in the folder given (created)');
    assert.is(paged.size, n);
    assert.is(paged.size, whole.size);
    // values and keys in lock-step (a whole pass: every page read back once).
    const values = whole.values();
    let differs: string | undefined;
    for (const state of paged.values()) {
      const expected = JSON.stringify(values.next().value);
      if (JSON.stringify(state) !== expected) differs ??= `${JSON.stringify(state)} != ${expected}`;
    }
    assert.is(differs, undefined);
    const keys = whole.keys();
    for (const key of paged.keys()) if (key !== keys.next().value) differs ??= key;
    assert.is(differs, undefined);
    // Every message changed after its page was written out, by get, in order.
    for (const id of touched) {
      const got = JSON.stringify(paged.get(id));
      if (got !== JSON.stringify(whole.get(id))) differs ??= got;
    }
    assert.is(differs, undefined);
    const changed = touched.map((id) => whole.get(id) as MessageState);
    assert.ok(changed.some((m) => m.settled) && changed.some((m) => m.revision === 2));
    assert.ok(changed.some((m) => m.outcome === 'rejected' && m.status?.name));
    // And in an order that reads a page back for nearly every look-up; unknown ids not found.
    const rnd = random(9);
    for (let k = 0; k < 200; k++) {
      const id = touched[Math.floor(rnd() * touched.length)] as string;
      assert.is(JSON.stringify(paged.get(id)), JSON.stringify(whole.get(id)));
    }
    for (let k = 0; k < 1000; k++) assert.not.ok(paged.has(messageIdFor('q', 1, String(k))));
  }));

test.run();
