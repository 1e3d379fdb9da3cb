import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contentIds, DistinctPairs } from '../../src/report/distinct-contents.js';
import { pickSamples } from '../../src/report/plan-messages.js';
import type { PlanEntry } from '../../src/plan/types.js';
import { random } from '../helpers/random.js';

test('DistinctPairs counts each (key, content) pair once, as a set of pairs would', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const next = random(seed);
    const pairs = new DistinctPairs();
    const expected = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      // Few keys and contents: most contents turn up under several keys, in any order.
      const key = Math.floor(next() * 5);
      const content = Math.floor(next() * (seed % 2 ? 40 : 3000));
      const isNew = !expected.has(`${key} ${content}`);
      expected.add(`${key} ${content}`);
      assert.is(pairs.add(key, content), isNew, `seed ${seed}, pair ${key} ${content}`);
    }
  }
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
