import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { normalizePhoneNumber } from '../../src/recipients/phone.js';
import { resolveRecipients } from '../../src/recipients/resolve-recipients.js';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { makeWorkspace } from '../helpers/cli.js';

test('phone numbers are normalised to international digits; invalid ones refused', () => {
  assert.is(normalizePhoneNumber('+41 79 302 67 27'), '41793026727');
  assert.is(normalizePhoneNumber('0041 (79) 302-67-27'), '41793026727');
  assert.is(normalizePhoneNumber('41793026727'), '41793026727');
  assert.is(normalizePhoneNumber('+1 555 123 4567'), undefined);
  assert.is(normalizePhoneNumber('155****8467'), undefined);
  assert.is(normalizePhoneNumber(''), undefined);
});

test('with a defaultCountry, numbers without + or 00 are national numbers of that country, and only of it', () => {
  assert.is(normalizePhoneNumber('079 302 67 27', 'CH'), '41793026727');
  assert.is(
    normalizePhoneNumber('793026727', 'CH'),
    '41793026727',
    'a leading 0 lost in a spreadsheet number cell',
  );
  assert.is(
    normalizePhoneNumber('41 79 302 67 27', 'CH'),
    '41793026727',
    "the country's own calling code without +",
  );
  assert.is(normalizePhoneNumber('+49 151 12345678', 'CH'), '4915112345678');
  assert.is(normalizePhoneNumber('0049 151 12345678', 'CH'), '4915112345678');
  assert.is(
    normalizePhoneNumber('4915112345678', 'CH'),
    undefined,
    'never a guess at another country',
  );
  assert.is(normalizePhoneNumber('07911 123456', 'GB'), '447911123456');
  assert.is(
    normalizePhoneNumber('079 302 67 27'),
    undefined,
    'without a country a national number is not valid',
  );
});

test('inline, CSV, JSON and NDJSON recipients: vars, origins, duplicates sent once', async () => {
  const { dir, cleanup } = await makeWorkspace({
    'spec.yaml': `name: mix\nrevision: 1\nwhatsApp: { text: "hi {{name}}" }\nrecipients:\n  - phoneNumber: "+41 79 302 67 27"\n    vars: { name: Anna }\n  - file: people.csv\n  - file: people.json\n  - file: people.ndjson\n`,
    'people.csv': '\uFEFFphoneNumber,name\n+44 7911 123456,Oliver\n41793026727,Anna\n',
    'people.json': '[\n  {"phoneNumber": "+49 151 12345678", "vars": {"name": "Lena"}}\n]\n',
    'people.ndjson':
      '{"phoneNumber": "+33 6 12 34 56 78", "vars": {"name": "Camille"}}\n\n{"phoneNumber": "x"}\n',
  });
  try {
    const { value: doc } = await loadSpec(join(dir, 'spec.yaml'));
    assert.ok(doc);
    const diagnostics: Diagnostic[] = [];
    const recipients = [];
    for await (const r of resolveRecipients(doc, (d) => diagnostics.push(d))) recipients.push(r);
    assert.equal(
      recipients.map((r) => [r.phoneNumber, r.vars.name]),
      [
        ['41793026727', 'Anna'],
        ['447911123456', 'Oliver'],
        ['4915112345678', 'Lena'],
        ['33612345678', 'Camille'],
      ],
    );
    assert.is(recipients[1]?.origin.line, 1, 'CSV line of Oliver (0-based)');
    assert.equal(
      diagnostics.map((d) => [d.code, d.severity, d.line]),
      [
        ['phone-duplicate', 'warning', 2],
        ['phone-invalid', 'error', 2],
      ],
    );
  } finally {
    await cleanup();
  }
});

test.run();
