import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import {
  makeDiagnostic,
  type Diagnostic,
  type WithDiagnostics,
} from '../diagnostics/diagnostic.js';
import { displayPath, mapSchemaError } from '../diagnostics/schema-error.js';
import { loadSchemaValidator, schemaErrorInputs } from '../diagnostics/schema-validator.js';
import {
  findForbiddenKeys,
  findStructureProblems,
  firstAliasPosition,
  YAML_OPTIONS,
  yamlErrors,
} from '../message-spec/check-yaml.js';
import { createSourceMap, type SourceMap } from '../message-spec/source-map.js';
import { placeholdersOf } from './placeholders.js';
import { MAX_NAMED_FILE_BYTES, readNamedFile } from './read-named-file.js';
import {
  templateKey,
  type ApprovedButton,
  type ApprovedTemplate,
  type Catalogue,
  type CatalogueRef,
  type HeaderKind,
  type TemplateCategory,
  type TemplateStatus,
} from './types.js';

export const MAX_CATALOGUE_BYTES = MAX_NAMED_FILE_BYTES;

/** The catalogue file as written (schemas/templates.schema.json). */
interface CatalogueData {
  templates: Array<{
    name: string;
    language: string | string[];
    category?: TemplateCategory;
    status?: TemplateStatus;
    header?: { kind: HeaderKind; text?: string };
    body: string;
    footer?: string;
    buttons?: ApprovedButton[];
  }>;
}

type Entry = CatalogueData['templates'][number];

let validator: ValidateFunction<CatalogueData> | undefined;

/** What the catalogue's patterns mean, for their messages (by the field's name). */
const PATTERNS: Record<string, string> = {
  name: "must use lowercase letters, digits and '_' only, as WhatsApp template names do",
  language: 'must be a WhatsApp language code such as en or en_GB',
};

type Result = WithDiagnostics<Catalogue | undefined>;
const refused = (diagnostics: Diagnostic[]): Result => ({ value: undefined, diagnostics });

/**
 * Reads the approved-template catalogue named by the config. It is untrusted input: every
 * problem is a diagnostic at its line and column, and the catalogue is undefined when it has any.
 */
export async function readCatalogue(ref: CatalogueRef): Promise<Result> {
  const { file } = ref;
  const bytes = await readNamedFile(ref, {
    what: 'the template catalogue',
    key: 'templates',
    form: 'a regular YAML file',
  });
  if (!Buffer.isBuffer(bytes)) return refused([bytes]);
  const text = bytes.toString('utf8');
  const counter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: counter });
  const syntax = yamlErrors(doc, counter, file);
  if (syntax.length > 0) return refused(syntax);
  const structure = findStructureProblems(doc, counter, file);
  if (structure.length > 0) return refused(structure);
  const forbidden = findForbiddenKeys(doc, counter, file);
  if (forbidden.length > 0) return refused(forbidden);
  if (doc.contents === null)
    return refused([
      makeDiagnostic(
        'templates-invalid',
        `the template catalogue ${file} is empty`,
        { file, line: 0, column: 0 },
        { hint: 'list the approved templates under `templates:`' },
      ),
    ]);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return refused([
      makeDiagnostic(
        'yaml-alias-limit',
        'too many YAML aliases (more than 100 expansions)',
        firstAliasPosition(doc, counter, file),
      ),
    ]);
  }
  const map = createSourceMap(doc, counter, file, text);
  const { problems, broken } = schemaProblems(data, map);
  // Entries the schema passed are checked further, so one run reports every problem.
  const entries = (
    isRecord(data) && Array.isArray(data.templates) ? data.templates : []
  ) as Entry[];
  const templates = new Map<string, ApprovedTemplate>();
  const firstLine = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (broken.has(i)) return;
    const at = ['templates', i];
    problems.push(...checkEntry(entry, at, map));
    const languages = typeof entry.language === 'string' ? [entry.language] : entry.language;
    languages.forEach((language, j) => {
      const key = templateKey(entry.name, language);
      const where = map.locate(
        typeof entry.language === 'string' ? [...at, 'language'] : [...at, 'language', j],
      );
      const first = firstLine.get(key);
      if (first !== undefined) {
        problems.push(
          makeDiagnostic(
            'templates-invalid',
            `template ${entry.name} in ${language} is listed twice (first on line ${first + 1})`,
            where,
            { hint: 'list each template and language once' },
          ),
        );
        return;
      }
      firstLine.set(key, where.line);
      templates.set(key, approved(entry, language));
    });
  });
  if (problems.length > 0) return refused(problems);
  const languages = new Map<string, string[]>();
  for (const t of templates.values())
    languages.set(t.name, [...(languages.get(t.name) ?? []), t.language]);
  return {
    value: { file, digest: createHash('sha256').update(bytes).digest('hex'), templates, languages },
    diagnostics: [],
  };
}

/** Schema problems, each at its line (templates-invalid), with the catalogue's own words for its patterns; and the entries they are in. */
function schemaProblems(
  data: unknown,
  map: SourceMap,
): { problems: Diagnostic[]; broken: Set<number> } {
  validator ??= loadSchemaValidator<CatalogueData>('templates');
  const broken = new Set<number>();
  if (validator(data)) return { problems: [], broken };
  const problems = schemaErrorInputs(validator.errors).flatMap((e) => {
    const mapped = mapSchemaError(e);
    if (!mapped) return [];
    if (mapped.path[0] === 'templates' && typeof mapped.path[1] === 'number')
      broken.add(mapped.path[1]);
    const field = [...mapped.path].reverse().find((p) => typeof p === 'string') ?? '';
    const pattern =
      mapped.code === 'schema-pattern'
        ? PATTERNS[field]
        : e.keyword === 'uniqueItems'
          ? 'lists the same language twice'
          : undefined;
    const message = pattern
      ? `${displayPath(mapped.path)} ${pattern}`
      : mapped.message.replace(/^the spec /, 'the catalogue ');
    return [
      makeDiagnostic(
        'templates-invalid',
        message,
        mapped.atKey ? map.locateKey(mapped.path) : map.locate(mapped.path),
        mapped.hint ? { hint: mapped.hint } : {},
      ),
    ];
  });
  return { problems, broken };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function approved(entry: Entry, language: string): ApprovedTemplate {
  const template: ApprovedTemplate = {
    name: entry.name,
    language,
    header: entry.header ? { ...entry.header } : { kind: 'none' },
    body: entry.body,
    buttons: (entry.buttons ?? []).map((b) => ({ ...b })),
  };
  if (entry.footer !== undefined) template.footer = entry.footer;
  if (entry.category !== undefined) template.category = entry.category;
  if (entry.status !== undefined) template.status = entry.status;
  return template;
}

/** What the schema cannot say: how parameters are numbered, and fields that belong to another kind. */
function checkEntry(entry: Entry, at: Array<string | number>, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (path: Array<string | number>, message: string, hint?: string) =>
    out.push(
      makeDiagnostic(
        'templates-invalid',
        message,
        map.locate([...at, ...path]),
        hint ? { hint } : {},
      ),
    );
  const body = placeholdersOf(entry.body);
  if (body.other.length > 0)
    bad(
      ['body'],
      `the body of ${entry.name} has ${body.other[0] ?? ''}: WhatsApp parameters are numbered {{1}}, {{2}}, …`,
    );
  const highest = Math.max(0, ...body.numbers);
  const gap = Array.from({ length: highest }, (_, k) => k + 1).find(
    (n) => !body.numbers.includes(n),
  );
  if (gap !== undefined)
    bad(
      ['body'],
      `the body of ${entry.name} uses {{${highest}}} but not {{${gap}}}`,
      'number the parameters from {{1}} without gaps, as the approved template does',
    );
  if (entry.footer !== undefined && placeholdersOf(entry.footer).numbers.length > 0)
    bad(['footer'], `the footer of ${entry.name} has a parameter; footers have none`);
  const header = entry.header;
  if (header?.text !== undefined) {
    if (header.kind !== 'text')
      bad(
        ['header', 'text'],
        `header.text is only for a text header (kind: text), not kind: ${header.kind}`,
      );
    const used = placeholdersOf(header.text);
    if (used.other.length > 0 || used.numbers.some((n) => n !== 1))
      bad(['header', 'text'], `the header text of ${entry.name} may have one parameter, {{1}}`);
  }
  (entry.buttons ?? []).forEach((button, k) => {
    if (button.url !== undefined) {
      if (button.kind !== 'url')
        bad(['buttons', k, 'url'], `url is only for a url button, not kind: ${button.kind}`);
      const used = placeholdersOf(button.url);
      if (used.other.length > 0 || used.numbers.length > 1 || used.numbers.some((n) => n !== 1))
        bad(
          ['buttons', k, 'url'],
          `the url of button ${k + 1} of ${entry.name} may have one parameter, {{1}}`,
        );
    }
    if (button.phoneNumber !== undefined && button.kind !== 'phone_number')
      bad(
        ['buttons', k, 'phoneNumber'],
        `phoneNumber is only for a phone_number button, not kind: ${button.kind}`,
      );
  });
  return out;
}
