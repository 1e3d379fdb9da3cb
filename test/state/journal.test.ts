import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileStateStore } from '../../src/state/file-state.js';
import { StateError } from '../../src/errors.js';
import { RECORD_VERSION } from '../../src/state/journal-format.js';
import { inFlight, outcome } from './records.js';
import { withTmpDir } from './tmp-dir.js';
import { readRecords, stateBackends, withState } from '../helpers/state-backends.js';

const A = { messageId: 'id-a', spec: 's', phoneNumber: '41793026727', contentHash: 'h1' };
const B = { messageId: 'id-b', spec: 's', phoneNumber: '447910000000', contentHash: 'h1' };

async function assertStateError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, StateError, String(error));
  assert.match(String((error as Error).message), pattern);
}

const backends = await stateBackends();

test('a missing state reads as empty, with the digest of no bytes', () =>
  withTmpDir(async (dir) => {
    const snap = await openFileStateStore(join(dir, 'nope')).read();
    assert.is(snap.messages.size, 0);
    assert.is(snap.digest, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  }));

test('append writes a header line, then one line per record', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    await store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A, B])]);
    await store.append([
      inFlight('B2', '2026-01-01T00:01:00.000Z', [A]),
      outcome('B2', '2026-01-01T00:01:01.000Z', [{ messageId: 'id-a', outcome: 'accepted' }]),
    ]);
    const lines = (await readFile(join(dir, 'journal.ndjson'), 'utf8')).trimEnd().split('\n');
    assert.equal(JSON.parse(lines[0] ?? ''), { waspec: 'state', formatVersion: 1 });
    assert.is(lines.length, 4);
  }));

for (const backend of backends) {
  test(`[${backend.name}] an empty state reads as empty; the digest changes with every append`, () =>
    withState(backend, async ({ store }) => {
      const empty = await store.read();
      assert.is(empty.messages.size, 0);
      assert.is(empty.records ?? 0, 0);
      await store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
      const one = await store.read();
      assert.is.not(one.digest, empty.digest);
      assert.is(one.records, 1);
      assert.is((await store.read()).digest, one.digest, 'reading again changes nothing');
    }));

  test(`[${backend.name}] append then read folds the records (last outcome wins, first sentAt kept)`, () =>
    withState(backend, async ({ store }) => {
      await store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A, B])]);
      await store.append([
        outcome('B1', '2026-01-01T00:00:01.000Z', [
          { messageId: 'id-a', outcome: 'failed', error: 'timeout' },
          { messageId: 'id-b', outcome: 'accepted', statusName: 'PENDING_ENROUTE' },
        ]),
      ]);
      await store.append([
        inFlight('B2', '2026-01-01T00:01:00.000Z', [A]),
        outcome('B2', '2026-01-01T00:01:01.000Z', [{ messageId: 'id-a', outcome: 'accepted' }]),
      ]);
      const snap = await store.read();
      const a = snap.messages.get('id-a');
      assert.is(a?.outcome, 'accepted');
      assert.is(a?.error, undefined, 'a later outcome replaces the earlier error');
      assert.is(a?.sentAt, '2026-01-01T00:00:00.000Z');
      assert.is(a?.updatedAt, '2026-01-01T00:01:01.000Z');
      assert.is(a?.bulkId, 'B2');
      assert.is(a?.maskedPhoneNumber, '417****6727');
      assert.not.ok(a && 'phoneNumber' in a, 'the state keeps no full number');
      assert.is(snap.messages.get('id-b')?.status?.name, 'PENDING_ENROUTE');
      assert.is(snap.records, 4);
      assert.is(snap.diagnostics.length, 0);
      assert.equal(
        (await readRecords(store)).map((r) => `${r.type} ${'bulkId' in r ? r.bulkId : ''}`),
        ['in-flight B1', 'outcome B1', 'in-flight B2', 'outcome B2'],
      );
    }));

  test(`[${backend.name}] appends started together on one store all survive, in order per message`, () =>
    withState(backend, async ({ store }) => {
      const ids = Array.from({ length: 40 }, (_, i) => `B${i}`);
      await Promise.all(
        ids.map((id, i) =>
          store.append([
            inFlight(id, '2026-01-01T00:00:00.000Z', [{ ...A, messageId: `id-${i}` }]),
            outcome(id, '2026-01-01T00:00:01.000Z', [
              { messageId: `id-${i}`, outcome: 'accepted' },
            ]),
          ]),
        ),
      );
      const snap = await store.read();
      assert.is(snap.messages.size, 40);
      assert.is(snap.records, 80);
      assert.ok([...snap.messages.values()].every((m) => m.outcome === 'accepted'));
    }));

  test(`[${backend.name}] more records than one read page, folded in the order written`, () =>
    withState(backend, async ({ store }) => {
      const records = [];
      for (let i = 0; i < 6000; i++)
        records.push(
          inFlight(`B${i}`, '2026-01-01T00:00:00.000Z', [{ ...A, messageId: `m${i % 3000}` }]),
        );
      records.push(
        outcome('B5999', '2026-01-01T00:00:02.000Z', [{ messageId: 'm2999', outcome: 'accepted' }]),
      );
      await store.append(records);
      const snap = await store.read();
      assert.is(snap.records, 6001);
      assert.is(snap.messages.size, 3000);
      assert.is(
        snap.messages.get('m0')?.bulkId,
        'B3000',
        'the later in-flight record was folded last',
      );
      assert.is(snap.messages.get('m2999')?.outcome, 'accepted');
    }));
  test(`[${backend.name}] recordPages hands over the records a page at a time, in order; a reader that stops early ends the read`, () =>
    withState(backend, async ({ store }) => {
      const records = [];
      for (let i = 0; i < 2500; i++)
        records.push(inFlight(`B${i}`, '2026-01-01T00:00:00.000Z', [{ ...A, messageId: `m${i}` }]));
      await store.append(records);
      const pages: number[] = [];
      const bulkIds: string[] = [];
      for await (const page of store.recordPages()) {
        pages.push(page.length);
        for (const r of page) bulkIds.push('bulkId' in r ? r.bulkId : '');
      }
      assert.ok(pages.length > 1, `pages ${pages.join(', ')}`);
      assert.equal(
        bulkIds,
        records.map((_, i) => `B${i}`),
      );
      for await (const page of store.recordPages()) {
        assert.ok(page.length > 0);
        break;
      }
      // The read ended (a PostgreSQL transaction rolled back): the store is free for the next use.
      await store.append([
        outcome('B0', '2026-01-01T00:00:01.000Z', [{ messageId: 'm0', outcome: 'accepted' }]),
      ]);
      const snap = await store.read();
      assert.is(snap.records, 2501);
      assert.is(snap.messages.get('m0')?.outcome, 'accepted');
    }));
}

test('a torn last line is ignored with a warning, earlier records kept; the next append cuts it off', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    await store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
    const whole = JSON.stringify(
      outcome('B1', '2026-01-01T00:00:01.000Z', [{ messageId: 'id-a', outcome: 'accepted' }]),
    );
    await appendFile(join(dir, 'journal.ndjson'), whole.slice(0, Math.floor(whole.length / 2)));
    const snap = await store.read();
    assert.is(snap.messages.get('id-a')?.outcome, 'in-flight');
    assert.is(snap.diagnostics.length, 1);
    assert.is(snap.diagnostics[0]?.code, 'state-torn-line');
    assert.is(snap.diagnostics[0]?.severity, 'warning');
    assert.is(snap.diagnostics[0]?.line, 2);
    await store.append([
      outcome('B1', '2026-01-01T00:00:02.000Z', [{ messageId: 'id-a', outcome: 'accepted' }]),
    ]);
    const after = await store.read();
    assert.is(after.diagnostics.length, 0);
    assert.is(after.messages.get('id-a')?.outcome, 'accepted');
  }));

test('a bad but complete line is kept by the next append (only an unterminated one is cut), then is an error diagnostic naming its line', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    await store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]);
    const bad = '{"v":1,"type":"nonsense","at":"2026-01-01T00:00:00.000Z","bulkId":"B9"}';
    await appendFile(join(dir, 'journal.ndjson'), `${bad}\n`);
    await store.append([inFlight('B2', '2026-01-01T00:00:00.000Z', [B])]);
    assert.is((await readFile(join(dir, 'journal.ndjson'), 'utf8')).split('\n')[2], bad);
    const snap = await store.read();
    assert.equal(
      snap.diagnostics.map((d) => [d.code, d.severity, d.line]),
      [['state-record-invalid', 'error', 2]],
    );
    assert.match(
      snap.diagnostics[0]?.message ?? '',
      /line 3 .*type must be in-flight, outcome, settle, content, message, breaker or canary, not "nonsense"/,
    );
    assert.is(snap.messages.size, 2);
  }));

test('records that do not match the journal schema are diagnostics with their line, never a crash or an orphan "to undefined"', () =>
  withTmpDir(async (dir) => {
    const at = '2026-01-01T00:00:00.000Z';
    const good = JSON.stringify(inFlight('B1', at, [A]));
    const bad = [
      `{"v":1,"type":"in-flight","at":"${at}","bulkId":"B2","messages":[null]}`,
      `{"v":1,"type":"in-flight","at":"${at}","bulkId":"B3","messages":[{}]}`,
      `{"v":1,"type":"outcome","at":"${at}","bulkId":"B1","results":[{"messageId":"id-a","outcome":"banana"}]}`,
      '[1,2]',
      'not json',
    ];
    await writeFile(
      join(dir, 'journal.ndjson'),
      `{"waspec":"state","formatVersion":1}\n${good}\n${bad.join('\n')}\n`,
    );
    const snap = await openFileStateStore(dir).read();
    assert.equal(
      snap.diagnostics.map((d) => [d.code, d.line]),
      [3, 4, 5, 6, 7].map((n) => ['state-record-invalid', n - 1]),
    );
    assert.match(snap.diagnostics[0]?.message ?? '', /messages\.0 must be object/);
    assert.match(snap.diagnostics[1]?.message ?? '', /must have required property/);
    assert.match(
      snap.diagnostics[2]?.message ?? '',
      /outcome must be equal to one of the allowed values \(accepted, rejected, failed\)/,
    );
    assert.equal([...snap.messages.keys()], ['id-a']);
    assert.is(snap.messages.get('id-a')?.outcome, 'in-flight');
  }));

test('a line over 32 MiB is skipped to its end (a diagnostic), the lines after it still read', () =>
  withTmpDir(async (dir) => {
    const header = '{"waspec":"state","formatVersion":1}\n';
    await writeFile(
      join(dir, 'journal.ndjson'),
      `${header}${'x'.repeat(33 * 1024 * 1024)}\n${JSON.stringify(inFlight('B1', '2026-01-01T00:00:00.000Z', [A]))}\n`,
    );
    const snap = await openFileStateStore(dir).read();
    assert.equal(
      snap.diagnostics.map((d) => [d.code, d.line]),
      [['state-record-invalid', 1]],
    );
    assert.match(snap.diagnostics[0]?.message ?? '', /longer than 32 MiB/);
    assert.is(snap.messages.size, 1);
  }));

test('a symlinked journal is refused on read and on append; its target is untouched', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'state'));
    await writeFile(join(dir, 'victim.txt'), 'precious line');
    await symlink('../victim.txt', join(dir, 'state', 'journal.ndjson'));
    const store = openFileStateStore(join(dir, 'state'));
    await assertStateError(store.read(), /is a symbolic link/);
    await assertStateError(
      store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
      /is a symbolic link/,
    );
    assert.is(await readFile(join(dir, 'victim.txt'), 'utf8'), 'precious line');
  }));

test('a journal hard-linked to another file is never written: the other file is untouched', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'state'));
    const header = '{"waspec":"state","formatVersion":1}\n';
    // A valid journal with a torn tail: an append would cut it, and so cut the linked file too.
    await writeFile(join(dir, 'victim.ndjson'), `${header}{"v":1,"type":"in-fl`);
    await link(join(dir, 'victim.ndjson'), join(dir, 'state', 'journal.ndjson'));
    const store = openFileStateStore(join(dir, 'state'));
    await assertStateError(
      store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
      /other hard link/,
    );
    assert.is(await readFile(join(dir, 'victim.ndjson'), 'utf8'), `${header}{"v":1,"type":"in-fl`);
  }));

test('a file that is not a journal is never cut as a torn tail nor written to', () =>
  withTmpDir(async (dir) => {
    for (const text of ['precious line', 'precious line\nsecond\n']) {
      await writeFile(join(dir, 'journal.ndjson'), text);
      const store = openFileStateStore(dir);
      const snap = await store.read();
      assert.equal(
        snap.diagnostics[0] && [
          snap.diagnostics[0].code,
          snap.diagnostics[0].severity,
          snap.diagnostics[0].line,
        ],
        ['state-record-invalid', 'error', 0],
      );
      assert.ok(snap.diagnostics.every((d) => d.code === 'state-record-invalid'));
      await assertStateError(
        store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
        /not a waspec state journal/,
      );
      assert.is(await readFile(join(dir, 'journal.ndjson'), 'utf8'), text);
    }
  }));

test('a journal path that is a directory, or a state directory that is a file: a StateError', () =>
  withTmpDir(async (dir) => {
    await mkdir(join(dir, 'state', 'journal.ndjson'), { recursive: true });
    const store = openFileStateStore(join(dir, 'state'));
    await assertStateError(store.read(), /is a directory/);
    await assertStateError(
      store.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
      /is a directory/,
    );
    await writeFile(join(dir, 'file'), 'x');
    const onFile = openFileStateStore(join(dir, 'file'));
    await assertStateError(onFile.read(), /is not a directory/);
    await assertStateError(onFile.lock(), /is not a directory/);
    await assertStateError(
      onFile.append([inFlight('B1', '2026-01-01T00:00:00.000Z', [A])]),
      /is not a directory/,
    );
  }));

test('a journal from a newer waspec is refused with the version and an upgrade hint', () =>
  withTmpDir(async (dir) => {
    for (const first of [
      '{"waspec":"state","formatVersion":2}\n',
      `{"v":${RECORD_VERSION + 1},"type":"in-flight","at":"x","bulkId":"b","messages":[]}\n`,
    ]) {
      await writeFile(join(dir, 'journal.ndjson'), first);
      try {
        await openFileStateStore(dir).read();
        assert.unreachable('should throw');
      } catch (error) {
        assert.instance(error, StateError);
        assert.match(String(error), new RegExp(`version (2|${RECORD_VERSION + 1})`));
        assert.match((error as StateError).hint ?? '', /Upgrade waspec/);
      }
    }
  }));

test('a big journal is read as a stream of lines (across chunk boundaries)', () =>
  withTmpDir(async (dir) => {
    const lines = ['{"waspec":"state","formatVersion":1}'];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        JSON.stringify(
          inFlight(`B${i}`, '2026-01-01T00:00:00.000Z', [{ ...A, messageId: `m${i}` }]),
        ),
      );
    }
    await writeFile(join(dir, 'journal.ndjson'), `${lines.join('\n')}\n`);
    const snap = await openFileStateStore(dir).read();
    assert.is(snap.messages.size, 3000);
    assert.is(snap.records, 3000);
  }));

test('a read state keeps one object per distinct API status and spec name, with the values as journalled', () =>
  withTmpDir(async (dir) => {
    const store = openFileStateStore(dir);
    const refs = Array.from({ length: 6 }, (_, i) => ({
      messageId: `id-${i}`,
      spec: 'promo',
      phoneNumber: `4179302670${i}`,
      contentHash: 'h',
    }));
    await store.append([
      inFlight('B1', '2026-01-01T00:00:00.000Z', refs.slice(0, 3)),
      inFlight('B2', '2026-01-01T00:00:00.000Z', refs.slice(3)),
    ]);
    await store.append([
      outcome(
        'B1',
        '2026-01-01T00:00:01.000Z',
        refs.slice(0, 3).map((r) => ({
          messageId: r.messageId,
          outcome: 'accepted',
          statusName: 'PENDING_ENROUTE',
        })),
      ),
      outcome(
        'B2',
        '2026-01-01T00:00:01.000Z',
        refs.slice(3).map((r, i) => ({
          messageId: r.messageId,
          outcome: i === 2 ? 'rejected' : 'accepted',
          statusName: i === 2 ? 'REJECTED_NETWORK' : 'PENDING_ENROUTE',
        })),
      ),
    ]);
    const states = [...(await store.read()).messages.values()];
    const pending = states.filter((s) => s.status?.name === 'PENDING_ENROUTE');
    assert.is(pending.length, 5);
    assert.ok(
      pending.every((s) => s.status === pending[0]?.status),
      'equal statuses are one object',
    );
    assert.equal(pending[0]?.status, {
      groupId: 1,
      groupName: 'PENDING',
      id: 7,
      name: 'PENDING_ENROUTE',
      description: 'PENDING_ENROUTE',
    });
    assert.equal(states[5]?.status, {
      groupId: 5,
      groupName: 'REJECTED',
      id: 7,
      name: 'REJECTED_NETWORK',
      description: 'REJECTED_NETWORK',
    });
    assert.ok(states.every((s) => s.spec === 'promo'));
  }));

test.run();
