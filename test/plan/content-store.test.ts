import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildRequests } from '../../src/apply/build-requests.js';
import type { MessageContent } from '../../src/api/types.js';
import { contentHashOf } from '../../src/api/identity.js';
import {
  contentCount,
  contentStoreOf,
  contentsRecord,
  contentValues,
  createContentStore,
  hasContent,
  sendAtOf,
} from '../../src/plan/content-store.js';
import { openFileStateStore } from '../../src/state/file-state.js';
import { EntryTable } from '../../src/plan/entry-table.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { buildFixturePlan } from './fixture-plan.js';

/** Contents as a personalised spec gives them, some with a sendAt, one repeated. */
function someContents(n: number): Array<[string, MessageContent]> {
  const list: Array<[string, MessageContent]> = [];
  for (let i = 0; i < n; i++) {
    const content: MessageContent = {
      whatsApp: { text: `Hi Person ${i}, ü ${'x'.repeat(i * 7)}` },
      ...(i % 3 === 0 ? { sendAt: `2026-12-0${1 + (i % 5)}T09:00:00Z` } : {}),
    };
    list.push([contentHashOf(content), content]);
  }
  return list;
}

/** Adds the list, then its first 50 again; the plain record of what the store should hold. */
function addTwice(
  store: ReturnType<typeof createContentStore>,
  list: Array<[string, MessageContent]>,
): Record<string, MessageContent> {
  const plain: Record<string, MessageContent> = {};
  for (const [hash, content] of [...list, ...list.slice(0, 50)]) {
    store.add(hash, content);
    plain[hash] ??= content;
  }
  return plain;
}

test('contents past the first ones spill to a file and read back the same, first added first', () =>
  withTmpDir(async (dir) => {
    const list = someContents(300);
    const store = createContentStore({ inMemory: 5, dir });
    const plain = addTwice(store, list);
    assert.ok(store.spilled);
    assert.is(store.size, 300);
    for (const [hash, content] of list) {
      assert.ok(store.has(hash));
      assert.equal(store.get(hash), content);
      assert.is(store.sendAtOf(hash), content.sendAt);
    }
    const absent = contentHashOf({ whatsApp: { text: 'nobody' } });
    assert.not.ok(store.has(absent));
    assert.is(store.get(absent), undefined);
    assert.is(store.get('toJSON'), undefined);
    assert.equal([...store.keys()], Object.keys(plain));
    assert.equal(Object.fromEntries(store.entries()), plain);
    // The file is nowhere to be found while it is used: no exit can leave it behind.
    assert.equal(readdirSync(dir), []);
  }));

test('with the entries numbering the hashes: the same contents, hashes numbered without content are absent', () =>
  withTmpDir(async (dir) => {
    const table = new EntryTable(new Map(), { dir });
    const numbers = table.contentNumbers;
    const store = createContentStore({ inMemory: 5, dir, numbers });
    // Hashes the entries have before any content (a policy's, a test's): no content of theirs.
    const bare = contentHashOf({ whatsApp: { text: 'numbered, no content' } });
    numbers.number(bare);
    numbers.number('not-a-sha256');
    const list: Array<[string, MessageContent]> = [
      ...someContents(300),
      ['other-hash', { whatsApp: { text: 'from a hash of another form' } }],
    ];
    const plain = addTwice(store, list);
    assert.ok(store.spilled);
    assert.is(store.size, 301);
    for (const [hash, content] of list) {
      assert.ok(store.has(hash), hash);
      assert.equal(store.get(hash), content);
      assert.is(store.sendAtOf(hash), content.sendAt);
    }
    for (const hash of [bare, 'not-a-sha256', contentHashOf({ whatsApp: { text: 'nobody' } })]) {
      assert.not.ok(store.has(hash), hash);
      assert.is(store.get(hash), undefined);
    }
    assert.equal([...store.keys()], Object.keys(plain));
    assert.equal(Object.fromEntries(store.entries()), plain);
    // Sealed, the entries keep the look-up the contents use.
    table.seal();
    assert.equal(store.get(list[200]?.[0] ?? ''), list[200]?.[1]);
  }));

test('hashes that share their first digits are told apart by the whole hash', () =>
  withTmpDir(async (dir) => {
    const store = createContentStore({ inMemory: 0, dir });
    const hashes = Array.from({ length: 40 }, (_, i) => `0000abcd${String(i).padStart(56, '0')}`);
    hashes.forEach((hash, i) => store.add(hash, { whatsApp: { text: `t${i}` } }));
    hashes.forEach((hash, i) => assert.equal(store.get(hash), { whatsApp: { text: `t${i}` } }));
    assert.not.ok(store.has(`0000abcd${'9'.repeat(56)}`));
  }));

test('the spill file is open only to its owner (mode 0600) and already removed', () =>
  withTmpDir(async (dir) => {
    if (!statSync('/proc/self/fd', { throwIfNoEntry: false })) return;
    const store = createContentStore({ inMemory: 0, dir });
    store.add('a'.repeat(64), { whatsApp: { text: 'secret' } });
    assert.ok(store.has('a'.repeat(64)));
    const spill = readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return { fd, link: readlinkSync(`/proc/self/fd/${fd}`) };
        } catch {
          return undefined;
        }
      })
      .find((f) => f?.link.startsWith(`${dir}/contents-`));
    assert.ok(spill, 'the store keeps its file open');
    assert.match(spill.link, / \(deleted\)$/);
    assert.is(statSync(`/proc/self/fd/${spill.fd}`).mode & 0o777, 0o600);
  }));

test('as the plan record: reads, hasOwn, in, keys and JSON are those of a plain object', () =>
  withTmpDir(async (dir) => {
    const list = someContents(40);
    const store = createContentStore({ inMemory: 10, dir });
    for (const [hash, content] of list) store.add(hash, content);
    const record = contentsRecord(store);
    const plain = Object.fromEntries(list);
    assert.is(JSON.stringify(record, null, 2), JSON.stringify(plain, null, 2));
    assert.equal(Object.keys(record), Object.keys(plain));
    assert.equal({ ...record }, plain);
    const [hash, content] = list[30] as [string, MessageContent];
    assert.equal(record[hash], content);
    assert.ok(Object.hasOwn(record, hash) && hash in record && hasContent(record, hash));
    assert.not.ok(Object.hasOwn(record, 'toString'));
    assert.is(typeof record.toString, 'function', 'an object still');
    assert.is(sendAtOf(record, hash), content.sendAt);
    assert.is(contentCount(record), 40);
    assert.equal([...contentValues(record)], Object.values(plain));
    assert.is(contentStoreOf(record), store);
    assert.is(contentStoreOf(plain), undefined);
  }));

test('apply builds the same requests from spilled contents', () =>
  withTmpDir(async (dir) => {
    const plan = await buildFixturePlan(openFileStateStore(dir));
    const store = createContentStore({ inMemory: 0, dir });
    for (const [hash, content] of Object.entries(plan.contents)) store.add(hash, content);
    const spilled = { ...plan, contents: contentsRecord(store) };
    assert.ok(store.spilled);
    assert.equal(buildRequests(spilled), buildRequests(plan));
  }));

test.run();
