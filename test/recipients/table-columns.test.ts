import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  mapColumns,
  NO_COLUMN_OPTIONS,
  type ColumnOptions,
} from '../../src/recipients/table-columns.js';

const map = (header: string[], options: Partial<ColumnOptions> = {}) =>
  mapColumns(header, { ...NO_COLUMN_OPTIONS, ...options });

test('phoneNumber is the phone column; every other column is a variable of its name', () => {
  assert.equal(map(['name', 'phoneNumber', 'city']), {
    phone: 1,
    vars: [
      ['name', 0],
      ['city', 2],
    ],
  });
});

test('a recognised header is the phone column, named in `recognised`, whatever its case, spaces or underscores', () => {
  for (const header of [
    'Mobile',
    'PHONE',
    'Phone Number',
    'phone_number',
    'mobile-number',
    'MSISDN',
    'Cell Phone',
    'WhatsApp Number',
  ]) {
    const found = map(['Name', header]);
    assert.equal(found, { phone: 1, vars: [['Name', 0]], recognised: header }, header);
  }
});

test('an exact phoneNumber column wins over other phone-like columns, which stay variables', () => {
  assert.equal(map(['Mobile', 'phoneNumber']), { phone: 1, vars: [['Mobile', 0]] });
});

test('two recognised columns are ambiguous: the diagnostic lists them and suggests phoneColumn', () => {
  const found = map(['Name', 'Phone', 'Mobile']);
  assert.ok('code' in found);
  assert.is(found.code, 'phone-column-ambiguous');
  assert.match(found.message, /'Phone', 'Mobile'/);
  assert.match(found.hint, /phoneColumn: "Phone"/);
});

test('no phone column: the hint lists the headers found', () => {
  const found = map(['Name', 'Tel.']);
  assert.ok('code' in found);
  assert.is(found.code, 'csv-missing-column');
  assert.match(found.hint, /'Name', 'Tel\.'/);
});

test('phoneColumn names the column (exactly, else ignoring case and spaces); from a spec entry it must exist', () => {
  assert.equal(map(['Tel.', 'Mobile'], { phoneColumn: { name: 'Tel.', required: true } }), {
    phone: 0,
    vars: [['Mobile', 1]],
  });
  assert.equal(
    map(['Name', 'Work Phone'], { phoneColumn: { name: 'work phone', required: true } }),
    { phone: 1, vars: [['Name', 0]] },
  );
  const missing = map(['Name', 'Mobile'], { phoneColumn: { name: 'Tel', required: true } });
  assert.ok('code' in missing);
  assert.is(missing.code, 'csv-missing-column');
  assert.match(missing.message, /'Tel' \(phoneColumn\)/);
  // The config's phoneColumn is a default: a file without it falls back to recognition.
  assert.equal(map(['Name', 'Mobile'], { phoneColumn: { name: 'Tel', required: false } }), {
    phone: 1,
    vars: [['Name', 0]],
    recognised: 'Mobile',
  });
});

test('columns renames and drops; a column renamed to phoneNumber is the phone column', () => {
  const columns = { 'First Name': 'firstName', 'Internal ID': null };
  assert.equal(map(['First Name', 'phoneNumber', 'Internal ID', 'city'], { columns }), {
    phone: 1,
    vars: [
      ['firstName', 0],
      ['city', 3],
    ],
  });
  assert.equal(map(['Name', 'Tel'], { columns: { Tel: 'phoneNumber' } }), {
    phone: 1,
    vars: [['Name', 0]],
  });
  // A dropped phone-like column is no candidate.
  assert.equal(map(['Phone', 'Mobile'], { columns: { Phone: null } }), {
    phone: 1,
    vars: [],
    recognised: 'Mobile',
  });
});

test('columns of a spec entry must exist; two columns may not give one variable', () => {
  const absent = map(['phoneNumber', 'name'], { columns: { Nmae: 'name' }, mustExist: ['Nmae'] });
  assert.ok('code' in absent);
  assert.is(absent.code, 'columns-invalid');
  assert.match(absent.message, /'Nmae'/);
  const twice = map(['phoneNumber', 'First Name', 'name'], { columns: { 'First Name': 'name' } });
  assert.ok('code' in twice);
  assert.is(twice.code, 'columns-invalid');
  assert.is(twice.column, 2);
});

test('columns with an empty header give no variable', () => {
  assert.equal(map(['phoneNumber', '', 'name']), { phone: 0, vars: [['name', 2]] });
});

test.run();
