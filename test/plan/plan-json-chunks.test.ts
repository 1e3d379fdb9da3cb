import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { jsonChunks } from '../../src/plan/json-chunks.js';
import { escapeInvisibleInJson, maskPlan, planJsonChunks } from '../../src/plan/plan-json.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { buildFixturePlan } from './fixture-plan.js';

const whole = (value: unknown): string =>
  `${escapeInvisibleInJson(JSON.stringify(value, null, 2))}\n`;

/** The fixture plan with `n` more send entries, each with a content of its own. */
async function planOf(dir: string, n: number): Promise<Plan> {
  const fixture = await buildFixturePlan(join(dir, 'state'));
  const spec = fixture.specs[0];
  if (!spec) throw new Error('the fixture has a spec');
  const contents = { ...fixture.contents };
  const entries: PlanEntry[] = [...fixture.entries];
  for (let i = 0; i < n; i++) {
    const contentHash = i.toString(16).padStart(64, '0');
    contents[contentHash] = {
      whatsApp: { text: `Hi Person ${i}, call +41791234${String(i).padStart(3, '0')}\u200b` },
    };
    entries.push({
      action: 'send',
      messageId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      spec: spec.name,
      revision: spec.revision,
      phoneNumber: `+4179${String(i).padStart(7, '0')}`,
      contentHash,
      vars: { name: `Person ${i}`, phone: `+41791234${String(i).padStart(3, '0')}` },
    });
  }
  return { ...fixture, contents, entries };
}

test('jsonChunks joined is JSON.stringify of the object, whatever the members', () => {
  const cases: Array<Array<readonly [string, unknown]>> = [
    [],
    [['a', undefined]],
    [
      ['a', []],
      ['b', {}],
      ['c', null],
      ['d', 'x\u2028y\u200e'],
    ],
    [
      ['list', [1, { x: [2, 3] }, 'z']],
      ['skip', undefined],
      ['obj', { k: { deep: [] } }],
    ],
  ];
  for (const members of cases) {
    const object = Object.fromEntries(members);
    assert.is([...jsonChunks(members)].join(''), whole(object));
    // The same members streamed item by item give the same text.
    const streamed = members.map(([key, value]): readonly [string, unknown] => {
      if (Array.isArray(value)) return [key, { stream: 'array', items: value }];
      if (value !== null && typeof value === 'object')
        return [key, { stream: 'object', members: Object.entries(value) }];
      return [key, value];
    });
    assert.is([...jsonChunks(streamed)].join(''), whole(object));
  }
});

test('plan --format json in pieces is the plan formatted at once, masked and not', () =>
  withTmpDir(async (dir) => {
    const plan = await planOf(dir, 30);
    assert.is([...planJsonChunks(plan, { mask: false })].join(''), whole(plan));
    const masked = [...planJsonChunks(plan, { mask: true })].join('');
    assert.is(masked, whole(maskPlan(plan)));
    assert.not.match(masked, '+41791234001');
    assert.not.match(masked, '\u200b');
  }));

test('no piece of plan --format json holds more than one entry or content', () =>
  withTmpDir(async (dir) => {
    const plan = await planOf(dir, 2000);
    const pieces = [...planJsonChunks(plan, { mask: true })];
    const entryPieces = pieces.filter((p) => p.includes('"messageId"'));
    const contentPieces = pieces.filter((p) => p.includes('Hi Person'));
    assert.ok(entryPieces.length >= 2000);
    assert.ok(contentPieces.length >= 2000);
    for (const piece of [...entryPieces, ...contentPieces])
      assert.ok(
        piece.split('"messageId"').length <= 2 && piece.split('Hi Person').length <= 2,
        `a piece holds several items: ${piece.slice(0, 200)}`,
      );
  }));

test.run();
