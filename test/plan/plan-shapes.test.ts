import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSavedPlan, writeSavedPlan } from '../../src/plan/saved-plan.js';
import { varsOf } from '../../src/plan/types.js';
import { variableValue } from '../../src/render/message-shape.js';
import { withTmpDir } from '../state/tmp-dir.js';
import { buildShapesPlan } from './shape-fixture.js';

test('a spec with templates carries its shape: each templated field as written, and its variables', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'), false);
    const promo = plan.specs.find((s) => s.name === 'black-friday');
    assert.equal(promo?.shape, {
      fields: {
        '/whatsApp/templateData/0': '{{name}}',
        '/whatsApp/templateData/1': '{{discount}}%',
        '/whatsApp/mediaTemplateData/body/placeholders/0': '{{name}}',
        '/whatsApp/mediaTemplateData/buttons/0/urlPlaceholder': 'offer/{{code}}',
      },
      variables: ['name', 'discount', 'code'],
    });
    assert.equal(plan.specs.find((s) => s.name === 'birthday')?.shape?.variables, [
      'name',
      'vip',
      'gift',
      'store',
      'city',
    ]);
    assert.is(
      plan.specs.find((s) => s.name === 'store-hello')?.shape,
      undefined,
      'no templates: every render is the same',
    );
  }));

test('each message carries the values of the variables its message uses, and nothing else of the recipient', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'), false);
    const chloe = plan.entries.find((e) => e.phoneNumber === '41791000003');
    assert.equal(
      { ...(chloe && varsOf(chloe, plan.variables)) },
      { name: 'Chloé', discount: '30', code: 'C3' },
    );
    const ben = plan.entries.find((e) => e.phoneNumber === '41792000002');
    assert.equal(
      { ...(ben && varsOf(ben, plan.variables)) },
      { name: 'Ben', vip: 'false', gift: 'a mug', store: 'Acme', city: '' },
      'spec vars too; an optional one not given is empty',
    );
    const hello = plan.entries.find((e) => e.spec === 'store-hello');
    assert.is(hello && varsOf(hello, plan.variables), undefined);
    assert.not.match(
      JSON.stringify(plan),
      /@example\.com/,
      'the CSV column no message uses is not in the plan',
    );
  }));

test('variable values: text as is, null empty, lists and mappings as JSON, long ones cut', () => {
  assert.is(variableValue('Anna'), 'Anna');
  assert.is(variableValue(20), '20');
  assert.is(variableValue(false), 'false');
  assert.is(variableValue(null), '');
  assert.is(variableValue(['a', 1]), '["a",1]');
  assert.is(variableValue({ city: 'Bern' }), '{"city":"Bern"}');
  const long = variableValue('x'.repeat(1000));
  assert.is(long.length, 200);
  assert.ok(long.endsWith('…'));
});

test('a saved plan keeps shapes but no variable values (personal data) and reads back', () =>
  withTmpDir(async (dir) => {
    const plan = await buildShapesPlan(join(dir, 'state'), false);
    // Entries of a plan buildPlan made are copies when read: edited here as an array.
    plan.entries = [...plan.entries];
    const entry = plan.entries.find((e) => e.spec === 'black-friday');
    if (!entry || entry.action === 'orphan') throw new Error('no black-friday message');
    entry.vars = { ...varsOf(entry, plan.variables), code: 'call 41793026727' };
    const file = join(dir, 'plan.json');
    await writeSavedPlan(file, plan);
    const text = await readFile(file, 'utf8');
    assert.not.ok(text.includes('41793026727'));
    assert.not.ok(text.includes('"vars"'));
    const saved = await readSavedPlan(file);
    const restored = saved.entries.find((e) => e.messageId === entry.messageId);
    assert.is(restored && varsOf(restored, saved.variables), undefined);
    assert.equal(
      saved.specs.find((s) => s.name === 'black-friday')?.shape,
      plan.specs.find((s) => s.name === 'black-friday')?.shape,
    );
  }));

test.run();
