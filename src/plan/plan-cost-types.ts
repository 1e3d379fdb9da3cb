import type { PricingCategory } from '../rates/types.js';

/** Messages and what they cost: exact decimal strings in the rate card's currency. */
export interface CostFigure {
  messages: number;
  amount: string;
}

/** What the messages apply would send cost, by the rate card (schemas/plan.schema.json `cost`). */
export interface PlanCost {
  currency: string;
  rates: { file: string; effective: string; source: string; example?: true };
  total: CostFigure;
  byCategory: Array<CostFigure & { category: PricingCategory }>;
  /** Every calling code, most expensive first; `priced` is the rate card row used (its code, or default). */
  byCountry: Array<CostFigure & { code: string; priced: string }>;
  /** Per spec, with what its last apply (the highest revision the state recorded as sent) costs at today's rates. */
  bySpec: Array<
    CostFigure & {
      spec: string;
      previous?: CostFigure & { revision: number };
      /** amount − previous.amount */
      change?: string;
    }
  >;
  /** The test messages to seeds among them (also in total and every breakdown); absent when none are sent. */
  seeds?: CostFigure;
  /** Templates the catalogue gives no category: priced as marketing. */
  uncategorised?: string[];
}
