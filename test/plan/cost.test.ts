import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { estimateCost } from '../../src/plan/estimate-cost.js';
import type { PlanEntry } from '../../src/plan/types.js';
import { readRates } from '../../src/rates/read-rates.js';
import type { PricingCategory, RateCard } from '../../src/rates/types.js';
import type { MessageState } from '../../src/state/types.js';
import { withTmpDir } from '../state/tmp-dir.js';

// 10 calling codes × 3 categories: prices (marketing, utility, authentication) and messages sent.
const TABLE: Array<[string, [string, string, string], [number, number, number]]> = [
  ['1', ['0.01276', '0.0152', '0.001629'], [861, 757, 667]],
  ['7', ['0.001889', '0.0006', '0.159'], [664, 53, 160]],
  ['20', ['0.00232', '0.0961', '0.00078'], [104, 587, 255]],
  ['27', ['0.000027', '0.00444', '0.0573'], [888, 784, 398]],
  ['33', ['0.0327', '0.000285', '0.01265'], [129, 135, 1]],
  ['41', ['0.1992', '0.0429', '0.1967'], [893, 170, 296]],
  ['44', ['0.0643', '0.001105', '0.1282'], [186, 707, 201]],
  ['49', ['0.0198', '0.0612', '0.0074'], [169, 149, 270]],
  ['54', ['0.00134', '0.000618', '0.1201'], [610, 694, 724]],
  ['61', ['0.0693', '0.00635', '0.01677'], [492, 713, 323]],
];
const CATEGORIES: PricingCategory[] = ['marketing', 'utility', 'authentication'];
const SPEC_OF: Record<string, string> = { marketing: 'm', utility: 'u', authentication: 'a' };

// Numbers as YAML reads them (0.01276 is a float there): the card must keep the digits written.
const YAML_CARD = [
  'currency: USD',
  'effective: "2025-07-01"',
  'source: hand-made test card',
  'prices:',
  ...TABLE.map(
    ([code, [m, u, a]]) =>
      `  - { code: "${code}", marketing: ${m}, utility: ${u}, authentication: ${a} }`,
  ),
  '  - { code: default, marketing: 1, utility: 1, authentication: 1, service: 0 }',
  '',
].join('\n');

const CSV_CARD = [
  '# currency: USD',
  '# effective: 2025-07-01',
  '# source: hand-made test card',
  'code,marketing,utility,authentication,service',
  ...TABLE.map(([code, [m, u, a]]) => `${code},${m},${u},${a},`),
  'default,1,1,1,0',
  '',
].join('\n');

function entries(): PlanEntry[] {
  const out: PlanEntry[] = [];
  for (const [code, , counts] of TABLE)
    CATEGORIES.forEach((category, k) => {
      for (let i = 0; i < (counts[k] ?? 0); i++) {
        const spec = SPEC_OF[category] ?? '';
        const phoneNumber = `${code}9${String(i).padStart(8, '0')}`;
        out.push({
          action: 'send',
          messageId: `${spec}-${phoneNumber}`,
          spec,
          revision: 2,
          phoneNumber,
          contentHash: `h-${spec}`,
        });
      }
    });
  return out;
}

const contents = {
  'h-m': { whatsApp: { text: 'x' } },
  'h-u': { whatsApp: { text: 'y' } },
  'h-a': { whatsApp: { text: 'z' } },
};
const pricing = new Map<string, PricingCategory>([
  ['m', 'marketing'],
  ['u', 'utility'],
  ['a', 'authentication'],
]);

async function card(name: string, text: string): Promise<RateCard> {
  return withTmpDir(async (dir) => {
    const path = join(dir, name);
    await writeFile(path, text);
    const read = await readRates({ path, file: name });
    assert.equal(read.diagnostics, []);
    if (!read.value) throw new Error('no card');
    return read.value;
  });
}

function previousOf(n: number): Map<string, MessageState> {
  const messages = new Map<string, MessageState>();
  for (let i = 0; i < n; i++) {
    const phone = `419${String(i).padStart(8, '0')}`;
    messages.set(`old-${i}`, {
      messageId: `old-${i}`,
      spec: 'm',
      revision: 1,
      maskedPhoneNumber: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      contentHash: 'old',
      bulkId: 'b',
      sentAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      outcome: 'accepted',
    });
  }
  return messages;
}

for (const [name, text] of [
  ['rates.yaml', YAML_CARD],
  ['rates.csv', CSV_CARD],
] as const) {
  test(`${name}: 10 codes × 3 categories, to the cent and beyond, as computed by hand`, async () => {
    const cost = estimateCost(entries(), {
      rates: await card(name, text),
      contents,
      pricing,
      state: { messages: previousOf(10) },
    });
    // Σ count × price, by hand (decimal arithmetic); a float sum gives 566.3486269999695.
    assert.equal(cost.total, { messages: 13040, amount: '566.348627' });
    assert.equal(cost.currency, 'USD');
    assert.equal(
      Object.fromEntries(cost.byCategory.map((c) => [c.category, [c.messages, c.amount]])),
      {
        marketing: [4996, '244.828812'],
        utility: [4749, '93.617812'],
        authentication: [3295, '227.902003'],
      },
    );
    assert.equal(
      cost.byCountry.map((c) => [c.code, c.messages, c.amount]),
      [
        ['41', 1359, '243.4018'],
        ['54', 2028, '88.198692'],
        ['20', 946, '56.85088'],
        ['61', 1528, '44.03986'],
        ['44', 1094, '38.509235'],
        ['7', 877, '26.726096'],
        ['27', 2070, '26.310336'],
        ['1', 2285, '23.579303'],
        ['49', 588, '14.463'],
        ['33', 265, '4.269425'],
      ],
    );
    // The last apply of m: revision 1, 10 marketing messages to +41 at 0.1992.
    const m = cost.bySpec.find((s) => s.spec === 'm');
    assert.equal(m?.previous, { revision: 1, messages: 10, amount: '1.992' });
    assert.equal(m?.change, '242.836812');
    assert.equal(cost.bySpec.find((s) => s.spec === 'u')?.previous, undefined);
  });
}

test('a code the card does not list is priced by the default row; no template is service', async () => {
  const cost = estimateCost(
    [
      {
        action: 'send',
        messageId: 'x',
        spec: 's',
        revision: 1,
        phoneNumber: '8801712345678',
        contentHash: 'h',
      },
      {
        action: 'unchanged',
        messageId: 'y',
        spec: 's',
        revision: 1,
        phoneNumber: '41790000000',
        contentHash: 'h',
        previous: {
          contentHash: 'h',
          outcome: 'accepted',
          bulkId: 'b',
          sentAt: '2026-01-01T00:00:00Z',
        },
      },
    ],
    {
      rates: await card('rates.yaml', YAML_CARD),
      contents: { h: { whatsApp: { text: 'hi' } } },
      pricing: new Map(),
      state: { messages: new Map() },
    },
  );
  assert.equal(cost.byCountry, [{ code: '880', priced: 'default', messages: 1, amount: '0.00' }]);
  assert.equal(cost.byCategory, [{ category: 'service', messages: 1, amount: '0.00' }]);
});

test('a rate card with problems: each at its line', async () => {
  await withTmpDir(async (dir) => {
    const path = join(dir, 'bad.yaml');
    await writeFile(
      path,
      [
        'currency: USD',
        'effective: "2025-07-01"',
        'source: x',
        'prices:',
        '  - { code: "41", marketing: 0.1 }',
        '  - { code: "41", marketing: 0.2 }',
        '  - { code: default, marketing: 1, utility: 1 }',
        '',
      ].join('\n'),
    );
    const read = await readRates({ path, file: 'bad.yaml' });
    assert.equal(read.value, undefined);
    assert.equal(
      read.diagnostics.map((d) => [d.code, d.line, d.message]),
      [['rates-invalid', 5, 'calling code 41 is listed twice (first on line 5)']],
    );
    await writeFile(path, YAML_CARD.replace('marketing: 0.01276', 'marketing: 1.5e-3'));
    const exp = await readRates({ path, file: 'bad.yaml' });
    assert.equal(
      exp.diagnostics.map((d) => [d.code, d.line]),
      [['rates-invalid', 4]],
    );
    await writeFile(path, YAML_CARD.replace(/\n {2}- \{ code: default.*\n/, '\n'));
    const noDefault = await readRates({ path, file: 'bad.yaml' });
    assert.match(noDefault.diagnostics[0]?.message ?? '', /no default row/);
  });
});

test.run();
