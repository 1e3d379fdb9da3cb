import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  privatePlan,
  readSavedPlan,
  SAVED_ENTRIES_LISTED,
  writeSavedPlan,
} from '../../src/plan/saved-plan.js';
import { digestEntries } from '../../src/plan/entries-digest.js';
import { formatPlanJson, maskPlan } from '../../src/plan/plan-json.js';
import type { Plan, PlanEntry } from '../../src/plan/types.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { buildFixturePlan } from './fixture-plan.js';

/** The fixture plan with `n` send entries of its first content. */
async function planOf(dir: string, n: number): Promise<Plan> {
  const fixture = await buildFixturePlan(join(dir, 'state'));
  const [contentHash] = Object.keys(fixture.contents);
  const spec = fixture.specs[0];
  if (!contentHash || !spec) throw new Error('the fixture has a spec and a content');
  const entries: PlanEntry[] = Array.from({ length: n }, (_, i) => ({
    action: 'send',
    messageId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    spec: spec.name,
    revision: spec.revision,
    phoneNumber: `4179${String(i).padStart(7, '0')}`,
    contentHash,
    vars: { name: `Person ${i}` },
  }));
  return {
    ...fixture,
    entries,
    summary: { ...fixture.summary, send: n, unchanged: 0, drift: 0, orphan: 0, retry: 0 },
  };
}

test('a saved plan up to the listed size is the same text as the whole plan formatted at once', () =>
  withTmpDir(async (dir) => {
    const plan = await planOf(dir, 3);
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    assert.is(text, formatPlanJson(privatePlan(plan), { mask: true }));
    assert.not.ok('entriesDigest' in (await readSavedPlan(join(dir, 'plan.json'))));
  }));

test('a larger saved plan lists its first entries, masked, and a digest of all of them', () =>
  withTmpDir(async (dir) => {
    const plan = await planOf(dir, SAVED_ENTRIES_LISTED + 5);
    await writeSavedPlan(join(dir, 'plan.json'), plan);
    const saved = await readSavedPlan(join(dir, 'plan.json'));
    assert.is(saved.entries.length, SAVED_ENTRIES_LISTED);
    assert.equal(
      saved.entries,
      maskPlan(privatePlan({ ...plan, entries: plan.entries.slice(0, SAVED_ENTRIES_LISTED) }))
        .entries,
    );
    assert.equal(saved.entriesDigest, digestEntries(plan.entries));
    assert.is(saved.entriesDigest?.count, SAVED_ENTRIES_LISTED + 5);
    assert.not.ok('contentsToStore' in saved);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    assert.not.match(text, /41790000001/, 'no full number');
    assert.not.match(text, /Person 1/, 'no variable value');
  }));

test('the digest is the same of full and masked numbers, and changes with an action or a content', () =>
  withTmpDir(async (dir) => {
    const plan = await planOf(dir, 4);
    const digest = digestEntries(plan.entries);
    assert.equal(digestEntries(maskPlan(plan).entries), digest);
    const [first, ...rest] = plan.entries as [PlanEntry, ...PlanEntry[]];
    assert.is.not(
      digestEntries([{ ...first, action: 'retry' } as PlanEntry, ...rest]).sha256,
      digest.sha256,
    );
    assert.is.not(
      digestEntries([{ ...first, contentHash: '0'.repeat(64) } as PlanEntry, ...rest]).sha256,
      digest.sha256,
    );
    assert.is.not(digestEntries([...rest, first]).sha256, digest.sha256, 'order counts');
  }));

test.run();
