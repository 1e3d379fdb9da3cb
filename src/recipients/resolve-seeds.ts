import path from 'node:path';
import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { quoteInput } from '../diagnostics/quote.js';
import type {
  RecipientFileRef,
  SeedSource,
  SourcePosition,
  SpecDocument,
} from '../message-spec/types.js';
import { isKnownCountry, normalizePhoneNumber } from './phone.js';
import { resolveRecipientBatches } from './resolve-recipients.js';

/** Most seeds one spec may have: test recipients are a handful of internal phones, not an audience. */
export const MAX_SEEDS = 1000;

/** One test recipient of a spec. */
export interface Seed {
  phoneNumber: string;
  /** Where it is written: the seed: entry, or the row of a seed file. */
  origin: SourcePosition;
}

/** The country of seed numbers written without + or 00: seed:'s, else the config's recipients:. */
function countryOf(doc: SpecDocument, source: SeedSource): string | undefined {
  return (source.defaultCountry ?? doc.recipientDefaults?.defaultCountry)?.toUpperCase();
}

/** Absolute paths of the files a spec's seeds are read from (for digests and watching). */
export function seedFiles(doc: SpecDocument): string[] {
  const source = doc.seed;
  if (!source) return [];
  return source.recipients.flatMap((entry) =>
    typeof entry === 'string' ? [] : [path.resolve(path.dirname(source.absolutePath), entry.file)],
  );
}

/**
 * The spec's seeds, normalised and de-duplicated, in the order written. Numbers are read like
 * recipients (files by the same readers, under the same workspace rules); problems go to `sink`
 * with their positions, and an invalid seed is left out.
 */
export async function resolveSeeds(doc: SpecDocument, sink: DiagnosticSink): Promise<Seed[]> {
  const source = doc.seed;
  if (!source || source.recipients.length === 0) return [];
  const country = countryOf(doc, source);
  if (source.defaultCountry !== undefined && !isKnownCountry(source.defaultCountry.toUpperCase())) {
    sink(
      makeDiagnostic(
        'recipients-option',
        `'${quoteInput(source.defaultCountry)}' is not an ISO 3166 country code libphonenumber knows`,
        source.locate(['defaultCountry']),
        { hint: 'two letters, e.g. CH, DE, GB, US' },
      ),
    );
    return [];
  }
  const seeds: Seed[] = [];
  const seen = new Map<string, SourcePosition>();
  const add = (phoneNumber: string, origin: SourcePosition): boolean => {
    const first = seen.get(phoneNumber);
    if (first) {
      sink(
        makeDiagnostic(
          'phone-duplicate',
          `the seed ${phoneNumber} is listed more than once; ${describe(first)} is kept and it gets the message once`,
          origin,
          { severity: 'warning', hint: 'remove the repeated seed' },
        ),
      );
      return true;
    }
    if (seeds.length >= MAX_SEEDS) {
      sink(
        makeDiagnostic(
          'seed-too-many',
          `${doc.spec.name} has more than ${MAX_SEEDS.toLocaleString('en-US')} seeds`,
          origin,
          {
            hint: 'seeds are a few internal phones that get the message first; send to an audience with recipients:',
          },
        ),
      );
      return false;
    }
    seen.set(phoneNumber, origin);
    seeds.push({ phoneNumber, origin });
    return true;
  };
  for (const [index, entry] of source.recipients.entries()) {
    if (typeof entry === 'string') {
      const origin = source.locate(['recipients', index]);
      const phoneNumber = normalizePhoneNumber(entry, country);
      if (phoneNumber === undefined) {
        const national = !/^\s*(\+|00)/.test(entry);
        sink(
          makeDiagnostic(
            'phone-invalid',
            country !== undefined && national
              ? `the seed '${quoteInput(entry)}' is not a valid phone number of ${country} (defaultCountry)`
              : `the seed '${quoteInput(entry)}' is not a valid international phone number`,
            origin,
            {
              hint:
                country === undefined && national && /^\s*0/.test(entry)
                  ? 'it looks like a national number: set seed.defaultCountry (or recipients.defaultCountry in the config), or write it with its country code'
                  : 'write it with its country code, e.g. +41 79 302 67 27',
            },
          ),
        );
        continue;
      }
      if (!add(phoneNumber, origin)) return seeds;
      continue;
    }
    for await (const batch of resolveRecipientBatches(fileDoc(doc, source, entry, index), sink))
      for (const recipient of batch)
        if (!add(recipient.phoneNumber, recipient.origin)) return seeds;
  }
  return seeds;
}

function describe(at: SourcePosition): string {
  return at.cell ?? `${at.file}:${at.line + 1}`;
}

/**
 * One seed file as the only recipient entry of a stand-in spec document: read by the recipient
 * readers, relative to the file `seed:` is written in, its positions those of the seed entry.
 */
function fileDoc(
  doc: SpecDocument,
  source: SeedSource,
  entry: RecipientFileRef,
  index: number,
): SpecDocument {
  const country = entry.defaultCountry ?? source.defaultCountry;
  return {
    ...doc,
    file: source.file,
    absolutePath: source.absolutePath,
    spec: {
      ...doc.spec,
      recipients: [country === undefined ? entry : { ...entry, defaultCountry: country }],
    },
    locate: (p) =>
      p[0] === 'recipients'
        ? source.locate(['recipients', index, ...p.slice(2)])
        : source.locate([]),
  };
}
