import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contentIds, DistinctPairs } from '../../src/report/distinct-contents.js';
import { pickSamples } from '../../src/report/plan-messages.js';
import type { PlanEntry } from '../../src/plan/types.js';
import { createRandom as random } from '../../src/emulator/random.js';

test('DistinctPairs counts each (key, content) pair once, as a set of pairs would', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const next = random(seed);
    const pairs = new DistinctPairs(seed % 3 === 0 ? 1 : undefined);
    const expected = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      // Few keys and contents: most contents turn up under several keys, in any order.
      // Seeds 8 to 10 use keys about 2^16, past the 2-byte column (it widens midway).
      const key = seed > 7 ? 65530 + Math.floor(next() * 7) : Math.floor(next() * 5);
      const content = Math.floor(next() * (seed % 2 ? 40 : 3000));
      const isNew = !expected.has(`${key} ${content}`);
      expected.add(`${key} ${content}`);
      assert.is(pairs.add(key, content), isNew, `seed ${seed}, pair ${key} ${content}`);
    }
  }
});

test('DistinctPairs keeps what it knew when a large key widens its column', () => {
  const pairs = new DistinctPairs(2);
  assert.ok(pairs.add(1, 0));
  assert.ok(pairs.add(2, 0)); // content 0 now under several keys
  assert.ok(pairs.add(3, 1));
  assert.ok(pairs.add(70_000, 1)); // widens
  assert.ok(pairs.add(65_534, 0));
  assert.not.ok(pairs.add(2, 0));
  assert.not.ok(pairs.add(3, 1));
  assert.ok(pairs.add(70_000, 5)); // grows
  assert.not.ok(pairs.add(70_000, 5));
});

test('contentIds numbers the hashes of a plain list, none for an orphan', () => {
  const entry = (contentHash?: string) =>
    (contentHash === undefined
      ? { action: 'orphan', messageId: 'o', spec: 's', revision: 1, phoneNumber: '417****0000' }
      : {
          action: 'send',
          messageId: contentHash,
          spec: 's',
          revision: 1,
          phoneNumber: '41790000000',
          contentHash,
        }) as PlanEntry;
  const entries = [entry('a'), entry('b'), entry('a'), entry()];
  const id = contentIds(entries);
  assert.equal(
    entries.map((e, i) => id(e, i)),
    [0, 1, 0, -1],
  );
});

test('a group that lists only its first contents is never "shown above" for all of them', () => {
  const shown = new Set(['a', 'b']);
  assert.is(pickSamples(['a', 'b'], new Set(shown), 2).shownAbove, true);
  // Two listed, three in all: the third was never shown.
  assert.is(pickSamples(['a', 'b'], new Set(shown), 2, 3).shownAbove, false);
});

test.run();
