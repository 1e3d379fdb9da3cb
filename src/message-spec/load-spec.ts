import { createHash } from 'node:crypto';
import path from 'node:path';
import { LineCounter, parseAllDocuments, isScalar, type Document } from 'yaml';
import {
  hasErrors,
  makeDiagnostic,
  type Diagnostic,
  type WithDiagnostics,
} from '../diagnostics/diagnostic.js';
import { mapSchemaError } from '../diagnostics/schema-error.js';
import { checkSpecCharacters } from './check-characters.js';
import {
  findForbiddenKeys,
  findStructureProblems,
  firstAliasPosition,
  YAML_OPTIONS,
  yamlErrors,
} from './check-yaml.js';
import { MAX_NESTING, tooDeep } from '../diagnostics/nesting.js';
import { checkContentRules } from './content-rules.js';
import { readSpecFile } from './read-spec-file.js';
import { createSourceMap, type SourceMap } from './source-map.js';
import { validateSpecData } from './spec-schema.js';
import type { SeedSource, Spec, SpecDocument, SpecReadOptions } from './types.js';
import { checkTemplates } from './check-templates.js';
import { displayFile } from '../files/display-file.js';

export { displayFile };

/**
 * Reads one spec file: YAML with source positions, safety checks, schema and content rules.
 * `value` is undefined when the spec has errors that make it unusable.
 */
export async function loadSpec(
  input: string,
  options: SpecReadOptions = {},
): Promise<WithDiagnostics<SpecDocument | undefined> & { flawed?: SpecDocument }> {
  const absolutePath = path.resolve(input);
  const file = displayFile(input);
  const read = await readSpecFile(absolutePath, file);
  if (!read.bytes)
    return { value: undefined, diagnostics: read.diagnostic ? [read.diagnostic] : [] };
  const bytes = read.bytes;
  const source = bytes.toString('utf8');
  if (source.trim() === '') {
    return {
      value: undefined,
      diagnostics: [makeDiagnostic('file-empty', `${file} is empty`, { file, line: 0, column: 0 })],
    };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, { ...YAML_OPTIONS, lineCounter });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc || doc.contents === null) {
    return {
      value: undefined,
      diagnostics: [
        makeDiagnostic('file-empty', `${file} holds no YAML document`, {
          file,
          line: 0,
          column: 0,
        }),
      ],
    };
  }
  const diagnostics = list.flatMap((d) => yamlErrors(d, lineCounter, file));
  const second = list[1];
  if (second) {
    const { line, col } = lineCounter.linePos(second.range?.[0] ?? 0);
    diagnostics.push(
      makeDiagnostic(
        'yaml-multiple-documents',
        `${file} holds more than one YAML document`,
        { file, line: line - 1, column: col - 1 },
        {
          hint: 'put each message in its own spec file',
        },
      ),
    );
  }
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  diagnostics.push(...findStructureProblems(doc, lineCounter, file));
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  diagnostics.push(...findForbiddenKeys(doc, lineCounter, file));
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    diagnostics.push(
      makeDiagnostic(
        'yaml-alias-limit',
        'too many YAML aliases (more than 100 expansions)',
        firstAliasPosition(doc, lineCounter, file),
        {
          hint: 'aliases that expand exponentially (a "billion laughs" document) are refused',
        },
      ),
    );
    return { value: undefined, diagnostics };
  }
  const map = createSourceMap(doc, lineCounter, file, source);
  // Aliases can nest what each stays shallow where it is written.
  const deep = tooDeep(data);
  if (deep) {
    diagnostics.push(
      makeDiagnostic(
        'nesting-too-deep',
        `lists and mappings are nested more than ${MAX_NESTING} levels deep (through aliases)`,
        map.locate(deep),
      ),
    );
    return { value: undefined, diagnostics };
  }
  diagnostics.push(...checkSpecCharacters(data, map.locate));
  // Every independent problem in one run: schema, content rules and template syntax are all checked.
  const unquoted = unquotedPhoneNumbers(doc, data, map);
  diagnostics.push(...unquoted);
  const reported = new Set(unquoted.map((d) => `${d.line ?? ''}:${d.column ?? ''}`));

  const { spec, errors } = validateSpecData(data);
  for (const error of errors) {
    const mapped = mapSchemaError(error);
    if (!mapped) continue;
    const where = mapped.atKey ? map.locateKey(mapped.path) : map.locate(mapped.path);
    if (mapped.code === 'schema-type' && reported.has(`${where.line}:${where.column}`)) continue; // said as phone-unquoted
    diagnostics.push(
      makeDiagnostic(mapped.code, mapped.message, where, mapped.hint ? { hint: mapped.hint } : {}),
    );
  }
  if (isRecord(data) && isRecord(data.whatsApp)) {
    diagnostics.push(...checkContentRules(data as unknown as Spec, map));
    diagnostics.push(...checkTemplates(data.whatsApp, map));
  }
  const seedOf = (checked: Spec, configured: SeedSource | undefined): { seed?: SeedSource } => {
    const own = checked.seed;
    if (own === undefined) return configured ? { seed: configured } : {};
    return {
      seed: {
        ...own,
        from: 'spec',
        file,
        absolutePath,
        locate: (p) => map.locate(['seed', ...p]),
      },
    };
  };
  const document = (checked: Spec): SpecDocument => ({
    file,
    absolutePath,
    digest: createHash('sha256').update(bytes).digest('hex'),
    ...(options.allowOutside && options.allowOutside.length > 0
      ? { allowOutside: options.allowOutside.map((p) => path.resolve(p)) }
      : {}),
    ...(options.recipientDefaults ? { recipientDefaults: options.recipientDefaults } : {}),
    ...seedOf(checked, options.seed),
    spec: checked,
    locate: map.locate,
    sourceOf: map.sourceOf,
  });
  if (!spec || hasErrors(diagnostics)) {
    // Every independent problem in one run: what the errors leave sound is still checked.
    const broken = errors.map((e) => e.instancePath);
    const sound =
      isRecord(data) &&
      typeof data.name === 'string' &&
      Number.isInteger(data.revision) &&
      isRecord(data.whatsApp) &&
      Array.isArray(data.recipients) &&
      unquoted.length === 0 &&
      !broken.some((p) => /^\/(recipients|vars|seed)(\/|$)/.test(p));
    if (!sound) return { value: undefined, diagnostics: dedupe(diagnostics) };
    const templates = !broken.some((p) =>
      /^\/whatsApp\/(templateName|language|templateData|mediaTemplateData)(\/|$)/.test(p),
    );
    return {
      value: undefined,
      diagnostics: dedupe(diagnostics),
      flawed: { ...document(data as Spec), flawed: { templates } },
    };
  }
  return { value: document(spec), diagnostics };
}

/** `phoneNumber: +41793026727` parses as a number and loses its + or leading zeros. */
function unquotedPhoneNumbers(doc: Document, data: unknown, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const recipients =
    data && typeof data === 'object' && 'recipients' in data ? data.recipients : undefined;
  if (Array.isArray(recipients))
    recipients.forEach((_, index) => {
      const node = doc.getIn(['recipients', index, 'phoneNumber'], true);
      if (isScalar(node) && typeof node.value === 'number') {
        const text = map.sourceOf(['recipients', index, 'phoneNumber']) ?? String(node.value);
        out.push(
          makeDiagnostic(
            'phone-unquoted',
            `phoneNumber ${text} is written as a number`,
            map.locate(['recipients', index, 'phoneNumber']),
            {
              hint: `quote it: phoneNumber: "${text}" (YAML drops a leading + and zeros from numbers)`,
            },
          ),
        );
      }
    });
  const seed = isRecord(data) && isRecord(data.seed) ? data.seed.recipients : undefined;
  if (Array.isArray(seed))
    seed.forEach((_, index) => {
      const node = doc.getIn(['seed', 'recipients', index], true);
      if (!isScalar(node) || typeof node.value !== 'number') return;
      const text = map.sourceOf(['seed', 'recipients', index]) ?? String(node.value);
      out.push(
        makeDiagnostic(
          'phone-unquoted',
          `the seed number ${text} is written as a number`,
          map.locate(['seed', 'recipients', index]),
          { hint: `quote it: - "${text}" (YAML drops a leading + and zeros from numbers)` },
        ),
      );
    });
  return out;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}:${d.line ?? ''}:${d.column ?? ''}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
