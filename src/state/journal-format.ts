import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemaDigest } from '../diagnostics/schema-validator.js';
import { StateError } from '../errors.js';
import { MAX_STORED_CONTENT_CHARS, storedChars } from './stored-content.js';
import type { JournalRecord } from './types.js';

/** The journal file's layout (its header line) this code reads and writes. */
export const JOURNAL_FORMAT_VERSION = 1;

/** The newest record version this code reads (settle 2, content 3, in-flight without a number and message records 4, breaker records 5, canary records 6, in-flight with test messages 7). */
export const RECORD_VERSION = 7;

export const JOURNAL_HEADER = { waspec: 'state', formatVersion: JOURNAL_FORMAT_VERSION } as const;

export type JournalLine =
  | { kind: 'header' }
  | { kind: 'record'; record: JournalRecord }
  | { kind: 'invalid'; problem: string };

function refuseNewer(version: number, where: string, known = JOURNAL_FORMAT_VERSION): never {
  throw new StateError(
    `The state journal ${where} was written by a newer waspec (format version ${version}; this waspec reads version ${known}).`,
    'Upgrade waspec to read this state; do not edit the journal by hand.',
  );
}

export const JOURNAL_SCHEMA_ID = 'https://waspec.dev/schemas/journal-record.schema.json';
/** The journal schema's branches, each validated on its own; the build generates their code. */
export const JOURNAL_KINDS = [
  'header',
  'inFlight',
  'outcome',
  'settle',
  'contentRecord',
  'messageRecord',
  'breakerRecord',
  'canaryRecord',
] as const;
type Kind = (typeof JOURNAL_KINDS)[number];
export const JOURNAL_AJV_OPTIONS = { allErrors: false, strict: false } as const;
let validators: Record<Kind, ValidateFunction> | undefined;

// ajv (or the generated code) is loaded when the first journal line is checked, not at start-up.
const require = createRequire(import.meta.url);

/** The schemas a journal line is checked against: content records refer to the plan schema's content. */
export function journalSchemas(): object[] {
  return ['journal-record', 'plan'].map(
    (file) =>
      JSON.parse(
        readFileSync(new URL(`../../schemas/${file}.schema.json`, import.meta.url), 'utf8'),
      ) as object,
  );
}

/** The digest of the schemas as they are now; generated code is used only when it matches. */
export function journalSchemaDigest(schemas = journalSchemas()): string {
  return schemaDigest(JSON.stringify(schemas));
}

function compile(schemas: object[]): Record<Kind, ValidateFunction> {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv2020(JOURNAL_AJV_OPTIONS);
  addFormats(ajv);
  for (const schema of schemas) ajv.addSchema(schema);
  const get = (name: Kind): ValidateFunction => {
    const validate = ajv.getSchema(`${JOURNAL_SCHEMA_ID}#/$defs/${name}`);
    if (!validate) throw new Error(`journal schema lacks $defs/${name}`);
    return validate;
  };
  return Object.fromEntries(JOURNAL_KINDS.map((kind) => [kind, get(kind)])) as Record<
    Kind,
    ValidateFunction
  >;
}

/**
 * The journal's validators: the code the build generated (dist/validators/journal.cjs) when it
 * came from the schemas as they are now, else compiled (tests run from source).
 */
function load(): Record<Kind, ValidateFunction> {
  const schemas = journalSchemas();
  let generated: (Record<Kind, ValidateFunction> & { schemaDigest?: string }) | undefined;
  try {
    generated = require('../validators/journal.cjs') as typeof generated;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'MODULE_NOT_FOUND'))
      throw error;
  }
  if (generated?.schemaDigest === journalSchemaDigest(schemas)) return generated;
  return compile(schemas);
}

const BY_TYPE = new Map<string, Kind>([
  ['in-flight', 'inFlight'],
  ['outcome', 'outcome'],
  ['settle', 'settle'],
  ['content', 'contentRecord'],
  ['message', 'messageRecord'],
  ['breaker', 'breakerRecord'],
  ['canary', 'canaryRecord'],
]);

function describe(errors: readonly ErrorObject[]): string {
  const error = errors[0];
  if (!error) return 'it does not match the journal schema';
  const where =
    error.instancePath === '' ? 'the record' : error.instancePath.slice(1).replace(/\//g, '.');
  const allowed =
    error.keyword === 'enum'
      ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
      : '';
  return `${where} ${error.message ?? 'is invalid'}${allowed}`;
}

/**
 * Checks one parsed journal line against schemas/journal-record.schema.json (the branch its
 * `type` names, so the problem given is about that kind of record). Any backend's rows can be
 * checked this way. A line from a newer format version throws a StateError.
 */
export function checkJournalValue(value: unknown, where: string): JournalLine {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'invalid', problem: 'it is not a JSON object' };
  const header = 'waspec' in value;
  const version = header
    ? (value as { formatVersion?: unknown }).formatVersion
    : (value as { v?: unknown }).v;
  if (typeof version === 'number' && version > (header ? JOURNAL_FORMAT_VERSION : RECORD_VERSION))
    refuseNewer(version, where, header ? JOURNAL_FORMAT_VERSION : RECORD_VERSION);
  validators ??= load();
  const type = (value as { type?: unknown }).type;
  const kind = header ? 'header' : typeof type === 'string' ? BY_TYPE.get(type) : undefined;
  if (!kind)
    return {
      kind: 'invalid',
      problem: `type must be in-flight, outcome, settle, content, message, breaker or canary, not ${JSON.stringify(type ?? null).slice(0, 40)}`,
    };
  const validate = validators[kind];
  if (!validate(value)) return { kind: 'invalid', problem: describe(validate.errors ?? []) };
  if (
    (type === 'content' || type === 'message') &&
    storedChars((value as { content: unknown }).content) > MAX_STORED_CONTENT_CHARS
  ) {
    return {
      kind: 'invalid',
      problem: `content holds more than the ${MAX_STORED_CONTENT_CHARS} characters waspec stores`,
    };
  }
  return header ? { kind: 'header' } : { kind: 'record', record: value as JournalRecord };
}

/** Parses and checks one journal line. Newer versions throw. */
export function parseJournalLine(line: string, where: string): JournalLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'invalid', problem: 'it is not JSON' };
  }
  return checkJournalValue(value, where);
}

const HEADER_LINE = Buffer.from(JSON.stringify(JOURNAL_HEADER));

/** Whether `bytes` (a line without its newline) is the header or the beginning of one cut short by a crash. */
export function isHeaderStart(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, HEADER_LINE.length);
  return bytes.length > 0 && bytes.subarray(0, n).equals(HEADER_LINE.subarray(0, n));
}
