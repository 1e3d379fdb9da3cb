import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateFiles as validate } from './validate-json.js';

const spec = (text: string, vars = '', recipients = '  - file: people.csv\n') =>
  `name: v\nrevision: 1\n${vars}whatsApp:\n  text: "${text}"\nrecipients:\n${recipients}`;

test('a mapping or a list printed as text is an error at the template, not [object Object] or 1,2', async () => {
  const r = await validate({
    'specs/v.yaml': spec(
      'Hi {{store}} {{tags}}',
      'vars: { store: { name: Acme }, tags: [1, 2] }\n',
      '  - phoneNumber: "41793026727"\n',
    ),
  });
  const found = r.diagnostics.filter((d) => d.code === 'variable-not-text');
  assert.equal(
    found.map((d) => [d.line, d.column, /a mapping/.test(d.message) || /a list/.test(d.message)]),
    [
      [5, 15, true],
      [5, 25, true],
    ],
  );
  assert.is(r.valid, false);
});

test('an empty CSV cell and a null var are errors at the recipient line', async () => {
  const r = await validate({
    'specs/v.yaml': spec(
      'Hello {{name}}, see you in {{city}}!',
      '',
      '  - file: people.csv\n  - { phoneNumber: "447910000000", vars: { name: Ben, city: null } }\n',
    ),
    'specs/people.csv': 'phoneNumber,name,city\n41793026727,Anna,\n41791234567,Carl,Bern\n',
  });
  const empty = r.diagnostics.filter((d) => d.code === 'variable-empty');
  assert.equal(
    empty.map((d) => [d.file, d.line]),
    [
      ['specs/people.csv', 2],
      ['specs/v.yaml', 7],
    ],
  );
  assert.match(empty[0]?.hint ?? '', /optional: true/);
});

test('optional variables and {{#if}} guards allow missing, null and empty values', async () => {
  const r = await validate({
    'specs/v.yaml': spec(
      'Hello {{name}}{{#if city}}, see you in {{city}}{{/if}}{{region}}!',
      'vars: { region: { optional: true }, store: Acme }\n',
    ),
    'specs/people.csv': 'phoneNumber,name,city\n41793026727,Anna,\n41791234567,Carl,Bern\n',
  });
  assert.equal(r.diagnostics, []);
  assert.is(r.valid, true);
});

test('a declaration must be exactly { optional: boolean }', async () => {
  const r = await validate({
    'specs/v.yaml': spec(
      'Hi {{a}}',
      'vars: { a: { optional: yes please } }\n',
      '  - phoneNumber: "41793026727"\n',
    ),
  });
  assert.ok(
    r.diagnostics.some((d) => d.code === 'schema-type' && d.line === 3),
    JSON.stringify(r.diagnostics),
  );
});

test('numbers from text are decimal only: 0x10 is not 16', async () => {
  const r = await validate({
    'specs/v.yaml':
      'name: v\nrevision: 1\nwhatsApp:\n  latitude: "{{lat}}"\n  longitude: 8.5\nrecipients:\n  - { phoneNumber: "41793026727", vars: { lat: "0x10" } }\n  - { phoneNumber: "447910000000", vars: { lat: "1e1" } }\n  - { phoneNumber: "41791234567", vars: { lat: " -12.5 " } }\n',
  });
  assert.equal(
    r.diagnostics.map((d) => [d.code, d.line, /'(0x10|1e1)'/.test(d.message)]),
    [
      ['schema-type', 4, true],
      ['schema-type', 4, true],
    ],
  );
});

test('media URLs must be http(s), written or rendered', async () => {
  const written = await validate({
    'specs/v.yaml':
      'name: v\nrevision: 1\nwhatsApp:\n  imageUrl: "javascript:alert(1)//x.png"\nrecipients:\n  - phoneNumber: "41793026727"\n',
  });
  assert.equal(
    written.diagnostics.map((d) => [d.code, d.line]),
    [['url-scheme', 4]],
  );
  const rendered = await validate({
    'specs/v.yaml':
      'name: v\nrevision: 1\nwhatsApp:\n  videoUrl: "{{u}}"\nrecipients:\n  - { phoneNumber: "41793026727", vars: { u: "data:text/html,x.mp4" } }\n  - { phoneNumber: "447910000000", vars: { u: "HTTPS://cdn.example/x.mp4" } }\n',
  });
  assert.equal(
    rendered.diagnostics.map((d) => [d.code, d.line]),
    [['url-scheme', 4]],
  );
});

test('a missing variable across many recipients: one diagnostic with the count, the first recipients and did-you-mean', async () => {
  const rows = Array.from({ length: 60 }, (_, i) => `4179${String(1000000 + i)},Anna,V${i}`);
  const r = await validate({
    'specs/v.yaml': spec('Hi {{name}}, your code: {{vouchr}}'),
    'specs/people.csv': `phoneNumber,name,voucher\n${rows.join('\n')}\n`,
  });
  assert.is(r.diagnostics.length, 1, JSON.stringify(r.diagnostics, null, 1));
  const [d] = r.diagnostics;
  assert.is(d?.code, 'variable-missing');
  assert.is(d?.line, 4);
  assert.is(d?.column, 36);
  assert.match(
    d?.message ?? '',
    /'vouchr' is not defined for 60 recipients: 41791000000 \(specs\/people\.csv:2\), 41791000001 \(specs\/people\.csv:3\), 41791000002 \(specs\/people\.csv:4\) and 57 more/,
  );
  assert.match(d?.hint ?? '', /did you mean 'voucher'/);
});

test('the "N more" line of a problem carries that problem\'s code', async () => {
  const rows = Array.from({ length: 25 }, (_, i) => `4179${String(1000000 + i)},`);
  const r = await validate({
    'specs/v.yaml': spec('Hi {{name}}'),
    'specs/people.csv': `phoneNumber,name\n${rows.join('\n')}\n`,
  });
  const codes = new Set(r.diagnostics.map((d) => d.code));
  assert.equal([...codes], ['variable-empty']);
  assert.is(r.diagnostics.length, 6);
  assert.match(
    r.diagnostics[5]?.message ?? '',
    /^20 more recipients of v have the problem 'variable-empty' in specs\/people\.csv/,
  );
  // The count stands at the first row it counts.
  assert.is(r.diagnostics[5]?.line, 7);
});

test.run();
