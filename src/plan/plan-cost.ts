import type { EntryList } from './entry-list.js';
import type { MessageContent } from '../api/types.js';
import type { Catalogue } from '../catalogue/types.js';
import type { Budget } from '../config/policy.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SpecDocument } from '../message-spec/types.js';
import { parseAmount } from '../rates/money.js';
import { readRates } from '../rates/read-rates.js';
import type { PricingCategory, RatesRef } from '../rates/types.js';
import type { StateSnapshot } from '../state/types.js';
import { estimateCost } from './estimate-cost.js';
import type { PlanCost } from './plan-cost-types.js';
import { decideBudget } from './policy/budget-policy.js';

export interface CostOptions {
  rates?: RatesRef;
  budget?: Budget;
  /** --allow-cost AMOUNT as written: the cost approved above the budget. */
  allowCost?: string;
}

/** Reads the rate card, prices what the plan sends and checks it against the budget. */
export async function planCost(
  entries: EntryList,
  contents: Readonly<Record<string, MessageContent>>,
  docs: readonly SpecDocument[],
  context: { catalogue?: Catalogue; state: Pick<StateSnapshot, 'messages'> },
  options: CostOptions,
): Promise<{ cost?: PlanCost; diagnostics: Diagnostic[] }> {
  if (!options.rates) {
    const diagnostics = options.budget
      ? [
          makeDiagnostic(
            'rates-missing',
            'policy.budget is set but the config names no rate card',
            {},
            {
              hint: 'name your rate card with `rates:` in the config (see examples/rates/)',
            },
          ),
        ]
      : [];
    return { diagnostics };
  }
  const card = await readRates(options.rates);
  if (!card.value) return { diagnostics: card.diagnostics };
  const pricing = new Map<string, PricingCategory>();
  const where = new Map<string, ReturnType<SpecDocument['locate']>>();
  const literal = new Map<string, { templateName?: string; language?: string }>();
  for (const doc of docs) {
    if (doc.spec.pricing) pricing.set(doc.spec.name, doc.spec.pricing);
    where.set(doc.spec.name, doc.locate(['name']));
    const { templateName, language } = doc.spec.whatsApp;
    if (!`${templateName ?? ''}${language ?? ''}`.includes('{{'))
      literal.set(doc.spec.name, {
        ...(templateName === undefined ? {} : { templateName }),
        ...(language === undefined ? {} : { language }),
      });
  }
  const cost = estimateCost(entries, {
    rates: card.value,
    contents,
    pricing,
    literal,
    state: context.state,
    ...(context.catalogue ? { catalogue: context.catalogue } : {}),
  });
  const diagnostics: Diagnostic[] = [];
  const budget = options.budget;
  if (budget) {
    const allow = options.allowCost === undefined ? undefined : parseAmount(options.allowCost);
    const check = (what: string, amount: string, limit: bigint | undefined, at = {}) => {
      const decision = decideBudget(what, parseAmount(amount) ?? 0n, limit, allow, cost.currency);
      if (decision.kind === 'over')
        diagnostics.push(
          makeDiagnostic('plan-over-budget', decision.message, at, { hint: decision.hint }),
        );
    };
    for (const spec of cost.bySpec)
      check(`spec ${spec.spec} would cost`, spec.amount, budget.perSpec, where.get(spec.spec));
    check('this apply would cost', cost.total.amount, budget.perApply);
  }
  return { cost, diagnostics };
}
