import type { DiagnosticCode } from './codes.js';

/** The parts of an ajv error this mapping reads. */
export interface SchemaErrorInput {
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** Property names the failing object allows (for "did you mean"). */
  knownFields?: readonly string[];
}

export interface MappedSchemaError {
  code: DiagnosticCode;
  message: string;
  /** Path of the value (or, for unknown fields, of the key) to point at. */
  path: Array<string | number>;
  /** Point at the key rather than the value. */
  atKey: boolean;
  hint?: string;
}

const URL_FIELDS = new Set(['imageUrl', 'audioUrl', 'videoUrl', 'urlPlaceholder']);
const MEDIA_TYPES: Record<string, string> = {
  imageUrl: '.jpg, .jpeg or .png (image types the API accepts)',
  audioUrl: '.aac (the audio type the API accepts)',
  videoUrl: '.mp4 (the video type the API accepts)',
};

export function parsePointer(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function displayPath(path: ReadonlyArray<string | number>): string {
  return (
    path.reduce<string>(
      (out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s),
      '',
    ) || '(top level)'
  );
}

/** The candidate nearest to `word` (edit distance), if near enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Maps one ajv error to a stable code, a readable message and where to point; undefined to drop it. */
export function mapSchemaError(error: SchemaErrorInput): MappedSchemaError | undefined {
  const path = parsePointer(error.instancePath);
  const where = displayPath(path);
  const field = [...path].reverse().find((s): s is string => typeof s === 'string') ?? '';
  const p = error.params;
  const make = (code: DiagnosticCode, message: string, extra: Partial<MappedSchemaError> = {}) => ({
    code,
    message,
    path,
    atKey: false,
    ...extra,
  });
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing branch reports the real problem
    case 'required':
      return make(
        'schema-required',
        `${where} is missing the required field '${String(p.missingProperty)}'`,
      );
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const suggestion = error.knownFields ? closest(extra, error.knownFields) : undefined;
      return make(
        'schema-unknown-field',
        `${where === '(top level)' ? 'the spec' : where} has an unknown field '${extra}'`,
        {
          path: [...path, extra],
          atKey: true,
          ...(suggestion
            ? { hint: `did you mean '${suggestion}'?` }
            : error.knownFields
              ? { hint: `allowed fields: ${error.knownFields.join(', ')}` }
              : {}),
        },
      );
    }
    case 'type':
      return make('schema-type', `${where} must be ${describeType(p.type)}`);
    case 'enum':
      return make(
        'schema-enum',
        `${where} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`,
      );
    case 'maxLength':
      if (URL_FIELDS.has(field))
        return make('url-too-long', `${where} is longer than ${String(p.limit)} characters`);
      if (field === 'locationName' || field === 'address')
        return make('text-too-long', `${where} is longer than ${String(p.limit)} characters`);
      return make('schema-limit', `${where} must be at most ${String(p.limit)} characters`);
    case 'minLength':
      if (field === 'placeholders')
        return make('placeholder-empty', `${where} is empty; placeholder values may not be empty`);
      return make('schema-limit', `${where} must not be empty`);
    case 'pattern':
      if (String(p.pattern).includes('[hH][tT][tT][pP]'))
        return make('url-scheme', `${where} must be an http:// or https:// URL`);
      if (MEDIA_TYPES[field])
        return make('media-type', `${where} must end in ${MEDIA_TYPES[field]}`);
      if (field === 'phoneNumber')
        return make('phone-invalid', `${where} must be an international number, digits only`);
      if (field === 'latitude' || field === 'longitude')
        return make('schema-type', `${where} must be a number or a {{variable}}`);
      if (field === 'name')
        return make(
          'schema-pattern',
          `${where} must use lowercase letters, digits, '.', '_' and '-' only`,
        );
      return make(
        'schema-pattern',
        `${where} does not have the required form (${String(p.pattern)})`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (field === 'latitude' || field === 'longitude') {
        const range = field === 'latitude' ? '-90 to 90' : '-180 to 180';
        return make('coordinate-range', `${where} must be from ${range}`);
      }
      return make('schema-limit', `${where} ${error.message}`);
    case 'minItems':
    case 'maxItems':
      return make('schema-limit', `${where} ${error.message}`);
    case 'format':
      return make('schema-pattern', `${where} must be a ${String(p.format)}`);
    case 'propertyNames':
      return undefined; // reported by the nested pattern error
    default:
      return make('schema-invalid', `${where} ${error.message}`);
  }
}

function describeType(type: unknown): string {
  const names = String(type).split(',');
  const words = names.map((t) =>
    t === 'object'
      ? 'a mapping'
      : t === 'array'
        ? 'a list'
        : t === 'integer'
          ? 'a whole number'
          : `a ${t}`,
  );
  return words.join(' or ');
}
