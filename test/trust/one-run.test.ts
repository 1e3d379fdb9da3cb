import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateFiles as validate } from './validate-json.js';

test('a spec with four independent mistakes gets all four in one run', async () => {
  const r = await validate({
    'specs/a.yaml': [
      'name: a',
      'revision: 1',
      'colour: blue',
      'whatsApp:',
      '  text: "Hi {{name}"',
      '  imageUrl: "https://x.example/a.png"',
      'recipients:',
      '  - phoneNumber: +41793026727',
      '',
    ].join('\n'),
  });
  assert.equal(
    r.diagnostics.map((d) => [d.code, d.line]),
    [
      ['phone-unquoted', 8],
      ['schema-unknown-field', 3],
      ['content-conflict', 6],
      ['template-syntax', 5],
    ],
  );
});

test('the Handlebars parse error is shown in full and points at its column', async () => {
  const r = await validate({
    'specs/a.yaml':
      'name: a\nrevision: 1\nwhatsApp:\n  text: "Hello {{name}, welcome"\nrecipients:\n  - phoneNumber: "41793026727"\n',
  });
  const [d] = r.diagnostics;
  assert.is(d?.code, 'template-syntax');
  assert.is(d?.line, 4);
  assert.is(d?.column, 22, 'the stray } after name');
  assert.match(
    d?.message ?? '',
    /line 1, column 13 of the template\): expected .*'CLOSE'.* but found 'INVALID'/,
  );
  const block = await validate({
    'specs/a.yaml':
      'name: a\nrevision: 1\nwhatsApp:\n  text: |\n    Hello\n    {{#if vip}}gold{{/each}}\nrecipients:\n  - phoneNumber: "41793026727"\n',
  });
  assert.equal(
    block.diagnostics.map((d) => [d.code, d.line, d.column]),
    [['template-syntax', 6, 8]],
  );
  assert.match(block.diagnostics[0]?.message ?? '', /if doesn't match each/);
});

test('validate reports a sendAt in the past, as plan does', async () => {
  const r = await validate({
    'specs/a.yaml':
      'name: a\nrevision: 1\nsendAt: 2020-01-01T09:00:00+01:00\nwhatsApp:\n  text: "Hi"\nrecipients:\n  - phoneNumber: "41793026727"\n',
  });
  assert.equal(
    r.diagnostics.map((d) => [d.code, d.line]),
    [['send-at-past', 3]],
  );
  assert.is(r.valid, false);
});

test.run();
