import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { readNamedFile } from '../catalogue/read-named-file.js';
import {
  makeDiagnostic,
  type Diagnostic,
  type WithDiagnostics,
} from '../diagnostics/diagnostic.js';
import { mapSchemaError } from '../diagnostics/schema-error.js';
import { loadSchemaValidator, schemaErrorInputs } from '../diagnostics/schema-validator.js';
import { findForbiddenKeys, firstAliasPosition, yamlErrors } from '../message-spec/check-yaml.js';
import { createSourceMap } from '../message-spec/source-map.js';
import type { SourcePosition, SpecPath } from '../message-spec/types.js';
import { parseAmount } from './money.js';
import {
  PRICING_CATEGORIES,
  type PricingCategory,
  type RateCard,
  type RatePrices,
  type RatesRef,
} from './types.js';

/** The rate card as written (schemas/rates.schema.json). */
export interface RatesData {
  currency: string;
  effective: string;
  source: string;
  example?: boolean;
  prices: Array<{ code: string; name?: string } & Partial<Record<PricingCategory, unknown>>>;
}

/** Where each value of the data was written, and its text there (exact digits of a price). */
export interface RatesSource {
  locate: (path: SpecPath) => SourcePosition;
  locateKey: (path: SpecPath) => SourcePosition;
  sourceOf: (path: SpecPath) => string | undefined;
}

type Result = WithDiagnostics<RateCard | undefined>;
const refused = (diagnostics: Diagnostic[]): Result => ({ value: undefined, diagnostics });
let validator: ValidateFunction<RatesData> | undefined;

/**
 * Reads the rate card named by the config (YAML, or CSV by its extension). Untrusted input, read
 * like the template catalogue: every problem is a diagnostic at its line, and no card when any.
 */
export async function readRates(ref: RatesRef): Promise<Result> {
  const { file } = ref;
  const bytes = await readNamedFile(ref, {
    what: 'the rate card',
    key: 'rates',
    form: 'a regular YAML or CSV file',
  });
  if (!Buffer.isBuffer(bytes)) return refused([bytes]);
  const text = bytes.toString('utf8');
  // papaparse loads for a CSV rate card only (a plan without rates never reads one).
  const parsed = /\.csv$/i.test(ref.path)
    ? (await import('./rates-csv.js')).readRatesCsv(text, file)
    : parseYaml(text, file);
  if ('diagnostics' in parsed) return refused(parsed.diagnostics);
  const { data, source } = parsed;
  validator ??= loadSchemaValidator<RatesData>('rates');
  if (!validator(data)) {
    return refused(
      schemaErrorInputs(validator.errors).flatMap((e) => {
        const mapped = mapSchemaError(e);
        if (!mapped) return [];
        return [
          makeDiagnostic(
            'rates-invalid',
            mapped.message.replace(/^the spec /, 'the rate card '),
            mapped.atKey ? source.locateKey(mapped.path) : source.locate(mapped.path),
            mapped.hint ? { hint: mapped.hint } : {},
          ),
        ];
      }),
    );
  }
  return buildCard(data, source, file, createHash('sha256').update(bytes).digest('hex'));
}

function parseYaml(
  text: string,
  file: string,
): { data: unknown; source: RatesSource } | { diagnostics: Diagnostic[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const syntax = yamlErrors(doc, counter, file);
  if (syntax.length > 0) return { diagnostics: syntax };
  const forbidden = findForbiddenKeys(doc, counter, file);
  if (forbidden.length > 0) return { diagnostics: forbidden };
  try {
    const data: unknown = doc.toJS({ maxAliasCount: 100 });
    return { data, source: createSourceMap(doc, counter, file, text) };
  } catch {
    return {
      diagnostics: [
        makeDiagnostic(
          'yaml-alias-limit',
          'too many YAML aliases (more than 100 expansions)',
          firstAliasPosition(doc, counter, file),
        ),
      ],
    };
  }
}

/** What the schema cannot say: exact prices, one row per code, a complete default row. */
function buildCard(data: RatesData, source: RatesSource, file: string, digest: string): Result {
  const problems: Diagnostic[] = [];
  const rows = new Map<string, Partial<Record<PricingCategory, bigint>>>();
  const firstLine = new Map<string, number>();
  data.prices.forEach((row, i) => {
    const where = source.locate(['prices', i, 'code']);
    const first = firstLine.get(row.code);
    if (first !== undefined) {
      problems.push(
        makeDiagnostic(
          'rates-invalid',
          `calling code ${row.code} is listed twice (first on line ${first + 1})`,
          where,
          { hint: 'one row per calling code' },
        ),
      );
      return;
    }
    firstLine.set(row.code, where.line ?? 0);
    const prices: Partial<Record<PricingCategory, bigint>> = {};
    for (const category of PRICING_CATEGORIES) {
      if (row[category] === undefined) continue;
      // The digits as written, not the float YAML made of them.
      const written = row[category];
      const amount = parseAmount(
        typeof written === 'number'
          ? (source.sourceOf(['prices', i, category]) ?? written)
          : written,
      );
      if (amount === undefined)
        problems.push(
          makeDiagnostic(
            'rates-invalid',
            `the ${category} price of ${row.code} is not a decimal of at most 6 places`,
            source.locate(['prices', i, category]),
            { hint: 'write it as 0.0618 (no exponent, no currency sign)' },
          ),
        );
      else prices[category] = amount;
    }
    rows.set(row.code, prices);
  });
  const fallbackRow = rows.get('default');
  const missing = PRICING_CATEGORIES.filter((c) => fallbackRow?.[c] === undefined);
  if (problems.length === 0 && missing.length > 0)
    problems.push(
      makeDiagnostic(
        'rates-invalid',
        fallbackRow
          ? `the default row has no ${missing.join(', ')} price`
          : 'the rate card has no default row',
        fallbackRow
          ? source.locate(['prices', data.prices.findIndex((r) => r.code === 'default')])
          : source.locate(['prices']),
        {
          hint: `the default row prices every category (${PRICING_CATEGORIES.join(', ')}) for calling codes the card does not list`,
        },
      ),
    );
  if (problems.length > 0 || !fallbackRow) return refused(problems);
  const fallback = fallbackRow as RatePrices;
  const prices = new Map<string, RatePrices>();
  for (const [code, row] of rows) if (code !== 'default') prices.set(code, { ...fallback, ...row });
  return {
    value: {
      file,
      digest,
      currency: data.currency,
      effective: data.effective,
      source: data.source,
      ...(data.example === true ? { example: true } : {}),
      prices,
      fallback,
    },
    diagnostics: [],
  };
}
