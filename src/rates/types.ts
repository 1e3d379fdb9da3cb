import type { SourcePosition } from '../message-spec/types.js';

/** What WhatsApp charges a delivered message as: a template's category, or service (no template). */
export type PricingCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export const PRICING_CATEGORIES: readonly PricingCategory[] = [
  'marketing',
  'utility',
  'authentication',
  'service',
];

/** Prices of one row, in millionths of the currency unit (exact: no float arithmetic on money). */
export type RatePrices = Readonly<Record<PricingCategory, bigint>>;

/** The rate card as read (schemas/rates.schema.json): what one delivered message costs. */
export interface RateCard {
  file: string;
  /** sha256 hex of the file's bytes (a saved plan's input). */
  digest: string;
  currency: string;
  /** The date the prices took effect (YYYY-MM-DD). */
  effective: string;
  /** Where the prices come from (a URL or a name). */
  source: string;
  /** Marked as an example: its prices are not anyone's. */
  example?: true;
  /** By country calling code (e.g. "41"); a row leaves out a category the default row gives. */
  prices: ReadonlyMap<string, RatePrices>;
  /** The `default` row: every calling code the card does not list. */
  fallback: RatePrices;
}

/** Where the config names the rate card (`rates:`). */
export interface RatesRef {
  /** Absolute path. */
  path: string;
  /** As shown in diagnostics. */
  file: string;
  /** The `rates:` value in the config. */
  at?: SourcePosition;
  /** Folders the rate card may lie in; unchecked when absent. */
  roots?: readonly string[];
}
