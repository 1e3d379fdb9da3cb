import type { EntryList } from './entry-list.js';
import type { MessageContent } from '../api/types.js';
import type { Catalogue } from '../catalogue/types.js';
import { templateKey } from '../catalogue/types.js';
import { callingCodeOf } from '../recipients/phone.js';
import { formatAmount } from '../rates/money.js';
import type { PricingCategory, RateCard, RatePrices } from '../rates/types.js';
import type { StateSnapshot } from '../state/types.js';
import type { PlanCost } from './plan-cost-types.js';
import { isSending } from './types.js';

export interface CostInputs {
  rates: RateCard;
  contents: Readonly<Record<string, MessageContent>>;
  catalogue?: Catalogue;
  /** Each spec's `pricing:` (what its messages without a template are charged as). */
  pricing: ReadonlyMap<string, PricingCategory>;
  state: Pick<StateSnapshot, 'messages'>;
  /**
   * Specs whose message names its template as written (or has none): their category is known
   * without reading each content (a personalised spec has as many as recipients).
   */
  literal?: ReadonlyMap<string, { templateName?: string; language?: string }>;
}

/** Counts by spec, calling code and category: the only per-message work; prices apply to the sums. */
type Tally = Map<string, Map<string, Map<PricingCategory, number>>>;

/** The cost of what the plan sends, and of each spec's last apply, priced exactly (bigint millionths). */
export function estimateCost(entries: EntryList, inputs: CostInputs): PlanCost {
  const categoryOf = categoriser(inputs);
  const now: Tally = new Map();
  const seeds: Tally = new Map();
  const specCategory = new Map<string, PricingCategory>();
  for (const entry of entries) {
    if (entry.action === 'orphan') continue;
    const category = categoryOf(entry.spec, entry.contentHash);
    specCategory.set(entry.spec, category);
    if (!isSending(entry)) continue;
    const code = callingCodeOf(entry.phoneNumber);
    count(now, entry.spec, code, category);
    // Test messages cost what any message does: counted, and shown on their own as well.
    if (entry.seed) count(seeds, entry.spec, code, category);
  }
  const before = lastApplies(inputs.state, specCategory);
  const price = (code: string): RatePrices =>
    inputs.rates.prices.get(code) ?? inputs.rates.fallback;
  const sum = (tally: Tally, spec?: string) => {
    let messages = 0;
    let amount = 0n;
    for (const [name, codes] of tally) {
      if (spec !== undefined && name !== spec) continue;
      for (const [code, byCategory] of codes)
        for (const [category, n] of byCategory) {
          messages += n;
          amount += BigInt(n) * price(code)[category];
        }
    }
    return { messages, amount };
  };
  const figure = (s: { messages: number; amount: bigint }) => ({
    messages: s.messages,
    amount: formatAmount(s.amount),
  });
  const byCategory = new Map<PricingCategory, { messages: number; amount: bigint }>();
  const byCountry = new Map<string, { messages: number; amount: bigint }>();
  for (const codes of now.values())
    for (const [code, categories] of codes)
      for (const [category, n] of categories) {
        const amount = BigInt(n) * price(code)[category];
        add(byCategory, category, n, amount);
        add(byCountry, code, n, amount);
      }
  const { rates } = inputs;
  const seedSum = sum(seeds);
  return {
    currency: rates.currency,
    rates: {
      file: rates.file,
      effective: rates.effective,
      source: rates.source,
      ...(rates.example ? { example: true as const } : {}),
    },
    total: figure(sum(now)),
    byCategory: [...byCategory].map(([category, s]) => ({ category, ...figure(s) })),
    byCountry: [...byCountry]
      .sort(([a, x], [b, y]) =>
        y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : a < b ? -1 : 1,
      )
      .map(([code, s]) => ({
        code,
        priced: rates.prices.has(code) ? code : 'default',
        ...figure(s),
      })),
    bySpec: [...specCategory.keys()].map((spec) => {
      const current = sum(now, spec);
      const last = before.get(spec);
      if (!last) return { spec, ...figure(current) };
      const previous = sum(last.tally, spec);
      return {
        spec,
        ...figure(current),
        previous: { revision: last.revision, ...figure(previous) },
        change: formatAmount(current.amount - previous.amount),
      };
    }),
    ...(seedSum.messages > 0 ? { seeds: figure(seedSum) } : {}),
    ...(categoryOf.uncategorised.size > 0
      ? { uncategorised: [...categoryOf.uncategorised].sort() }
      : {}),
  };
}

function count(tally: Tally, spec: string, code: string, category: PricingCategory): void {
  let codes = tally.get(spec);
  if (!codes) tally.set(spec, (codes = new Map<string, Map<PricingCategory, number>>()));
  let categories = codes.get(code);
  if (!categories) codes.set(code, (categories = new Map<PricingCategory, number>()));
  categories.set(category, (categories.get(category) ?? 0) + 1);
}

function add<K>(
  map: Map<K, { messages: number; amount: bigint }>,
  key: K,
  n: number,
  amount: bigint,
): void {
  const s = map.get(key) ?? { messages: 0, amount: 0n };
  map.set(key, { messages: s.messages + n, amount: s.amount + amount });
}

/**
 * A message's pricing category: its template's in the catalogue, else the spec's `pricing:`, else
 * service for a message without a template and marketing (the dearest, said so) for a template
 * the catalogue does not categorise. Decided once per spec and template (not per content: a
 * personalised spec has as many contents as recipients).
 */
function categoriser(inputs: CostInputs) {
  const decided = new Map<string, PricingCategory>();
  const uncategorised = new Set<string>();
  const decide = (spec: string, name: string | undefined, language: string | undefined) => {
    const template =
      name !== undefined && language !== undefined
        ? inputs.catalogue?.templates.get(templateKey(name, language))
        : undefined;
    if (template?.category) return template.category;
    const own = inputs.pricing.get(spec);
    if (own) return own;
    if (name === undefined) return 'service';
    uncategorised.add(name);
    return 'marketing';
  };
  const bySpec = new Map<string, PricingCategory>();
  for (const [spec, w] of inputs.literal ?? [])
    bySpec.set(spec, decide(spec, w.templateName, w.language));
  return Object.assign(
    (spec: string, hash: string): PricingCategory => {
      const known = bySpec.get(spec);
      if (known !== undefined) return known;
      const w = inputs.contents[hash]?.whatsApp;
      const name = w?.templateName;
      const key = name === undefined ? spec : `${spec}\u0000${name}\u0000${w?.language ?? ''}`;
      let category = decided.get(key);
      if (category === undefined) decided.set(key, (category = decide(spec, name, w?.language)));
      return category;
    },
    { uncategorised },
  );
}

/**
 * Each spec's last apply as the state has it: its messages to recipients (not seeds' test
 * messages) of the highest revision recorded as accepted or in doubt, priced as the spec's
 * messages are now (the state keeps no category).
 */
function lastApplies(
  state: Pick<StateSnapshot, 'messages'>,
  categories: ReadonlyMap<string, PricingCategory>,
): Map<string, { revision: number; tally: Tally }> {
  const revision = new Map<string, number>();
  const counted = (m: { outcome: string; settled?: { as: string } }) =>
    (m.outcome === 'accepted' || m.outcome === 'in-flight') && m.settled?.as !== 'not-sent';
  for (const m of state.messages.values()) {
    // Seeds may have had several contents of one revision: the last apply is its recipients'.
    if (m.test || !categories.has(m.spec) || !counted(m)) continue;
    if (m.revision > (revision.get(m.spec) ?? -Infinity)) revision.set(m.spec, m.revision);
  }
  const out = new Map<string, { revision: number; tally: Tally }>();
  for (const [spec, rev] of revision) out.set(spec, { revision: rev, tally: new Map() });
  for (const m of state.messages.values()) {
    const last = out.get(m.spec);
    const category = categories.get(m.spec);
    if (!last || category === undefined || m.revision !== last.revision || m.test || !counted(m))
      continue;
    // The masked number keeps its first digits: enough for the calling code.
    count(last.tally, m.spec, callingCodeOf(m.maskedPhoneNumber), category);
  }
  return out;
}
