import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VarsTable } from '../../src/plan/vars-table.js';

test('rows give back each entry’s values, in their order, whatever their length and characters', () => {
  const table = new VarsTable();
  const long = 'é'.repeat(5000);
  const rows = [
    table.add({ name: 'Anna', code: 'A1' }),
    table.add({ name: '', code: 'Zoé 🎉 \u202e' }),
    table.add({ lang: 'fr_FR', name: long }),
    table.add({ 10: 'ten', b: 'x'.repeat(43), a: 'y'.repeat(200) }),
  ];
  assert.equal(rows, [0, 1, 2, 3]);
  assert.is(table.rows, 4);
  assert.equal(table.values(0), { name: 'Anna', code: 'A1' });
  assert.equal(Object.keys(table.values(2)), ['lang', 'name']);
  assert.is(table.value(2, 'name'), long);
  assert.is(table.value(1, 'code'), 'Zoé 🎉 \u202e');
  assert.is(table.value(1, 'name'), '');
  assert.is(table.value(1, 'lang'), undefined);
  assert.equal(Object.keys(table.values(3)), ['10', 'b', 'a']);
  assert.is(table.value(3, 'a'), 'y'.repeat(200));
  assert.equal(table.values(7), {});
  assert.is(table.value(-1, 'name'), undefined);
});

test('rows over many chunks, and a row larger than a chunk, read back', () => {
  const table = new VarsTable();
  const big = 'z'.repeat(3 << 20);
  for (let i = 0; i < 120_000; i++) {
    table.add(i === 50_000 ? { name: big } : { name: `Person ${i}`, code: `C${i}` });
  }
  assert.is(table.value(0, 'code'), 'C0');
  assert.is(table.value(49_999, 'name'), 'Person 49999');
  assert.is(table.value(50_000, 'name'), big);
  assert.equal(table.values(119_999), { name: 'Person 119999', code: 'C119999' });
});

test('a variable named __proto__ stays a value, not a prototype; the table is left out of JSON', () => {
  const table = new VarsTable();
  const vars = Object.create(null) as Record<string, string>;
  vars.__proto__ = 'x';
  vars.name = 'Anna';
  const row = table.add(vars);
  const back = table.values(row);
  assert.is(Object.getPrototypeOf(back), null);
  assert.equal(Object.keys(back), ['__proto__', 'name']);
  assert.is(back.__proto__, 'x');
  assert.is(JSON.stringify({ a: 1, variables: table }), '{"a":1}');
});

/** The counts as a Map of strings gives them: what countValues must equal. */
function naive(table: VarsTable, rows: number[], name: string, top: number) {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = table.value(row, name) ?? '';
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const sorted = [...counts].map(([value, count], first) => ({ value, count, first }));
  sorted.sort((a, b) => b.count - a.count || a.first - b.first);
  return {
    top: sorted.slice(0, top).map(({ value, count }) => ({ value, count })),
    distinct: counts.size,
  };
}

test('countValues counts as a Map of the decoded values would: ties first seen first, missing values empty', () => {
  const table = new VarsTable();
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const r = random();
    if (r < 0.05) rows.push(-1);
    else if (r < 0.1) rows.push(table.add({ other: 'x' }));
    else
      rows.push(
        table.add({
          name: r < 0.5 ? `N${Math.floor(random() * 40)}` : `Zoé ${Math.floor(random() * 3000)}`,
          code: '',
        }),
      );
  }
  for (const top of [0, 1, 3, 5])
    for (const name of ['name', 'code', 'absent'])
      assert.equal(
        table.countValues(rows, name, top),
        naive(table, rows, name, top),
        `${name} ${top}`,
      );
  assert.equal(table.countValues([], 'name', 5), { top: [], distinct: 0 });
});

test.run();
