import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { isMap, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { makeDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { mapSchemaError } from '../diagnostics/schema-error.js';
import { loadSchemaValidator } from '../diagnostics/schema-validator.js';
import { ConfigError } from '../errors.js';
import { openRegularFile } from '../files/open-regular-file.js';
import type { CatalogueRef } from '../catalogue/types.js';
import { displayFile } from '../files/display-file.js';
import { isKnownCountry } from '../recipients/phone.js';
import { yamlErrorText } from '../message-spec/check-yaml.js';
import { createSourceMap } from '../message-spec/source-map.js';
import { findStructureProblems, YAML_OPTIONS } from '../message-spec/check-yaml.js';
import type { SourceLocation } from '../suppressions/read-suppression-file.js';
import type { RecipientDefaults, SeedSource, SeedSpec } from '../message-spec/types.js';
import type { RatesRef } from '../rates/types.js';
import { readPolicy, readSuppressionPaths, type Policy } from './policy.js';
import { stateUrlSecret } from './state-url-secret.js';

/** The settings one profile may hold (schemas/config.schema.json). */
export interface Profile {
  baseUrl?: string;
  appKey?: string;
  tokenUrl?: string;
  stateDir?: string;
  /** A postgres:// URL without password: the state is in PostgreSQL. */
  state?: string;
  /** Workspace within a PostgreSQL state. */
  workspace?: string;
  batchSize?: number;
  concurrency?: number;
  rateLimit?: number;
  timeoutMs?: number;
  /** Absolute (resolved against the config file's folder). */
  allowOutside?: string[];
  /** The approved-template catalogue, relative to the config file as written. */
  templates?: string;
}

/** `media:` of the config: checking media URLs before sending. */
export interface MediaSettings {
  /** Every validate and plan fetches each media URL (as --check-media). */
  check?: boolean;
  /** Media URLs may name private or loopback addresses (as --allow-private-media). */
  allowPrivate?: boolean;
}

interface ConfigData {
  profile?: string;
  profiles?: Record<string, Profile>;
  templates?: string;
  rates?: string;
  media?: MediaSettings;
  recipients?: RecipientDefaults;
  seed?: Omit<SeedSpec, 'sampleFrom'>;
}

/** What the config file holds for this run: the wanted profile and the workspace-wide settings. */
export interface ConfigFileSettings {
  profile: Profile;
  policy: Policy;
  suppressions: string[];
  /** Where each suppression file is named in the config, by absolute path. */
  suppressionSites?: Record<string, SourceLocation>;
  /** The catalogue named by the profile, else at the top level. */
  templates?: CatalogueRef;
  /** Defaults for every recipient file (`recipients:`). */
  recipients: RecipientDefaults;
  /** Test recipients of every spec without its own `seed:` (files relative to the config file). */
  seed?: SeedSource;
  /** The rate card (`rates:`). */
  rates?: RatesRef;
  media?: MediaSettings;
}

export const MAX_CONFIG_BYTES = 1024 * 1024;
const SECRET_KEY = /secret|token$|password|passwd|credential/i;
const SECRET_HINT =
  'set WASPEC_TOKEN or WASPEC_APP_SECRET in the environment (e.g. a CI secret) and remove it from the file';

let validator: ValidateFunction<ConfigData> | undefined;

function validate(data: unknown): ValidateFunction<ConfigData> {
  validator ??= loadSchemaValidator<ConfigData>('config');
  validator(data);
  return validator;
}

/** Keys that look like secrets, in every profile (and anywhere else), with their positions. */
function secretKeys(
  doc: ReturnType<typeof parseDocument>,
  at: (node: Node | null | undefined) => { file: string; line: number; column: number },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (SECRET_KEY.test(key) && key !== 'tokenUrl') {
        out.push(
          makeDiagnostic(
            'config-secret',
            `'${key}' looks like a secret; secrets are never read from the config file`,
            at(pair.key as Node),
            { hint: SECRET_HINT },
          ),
        );
      }
    },
  });
  return out;
}

/**
 * Reads the config file and returns the wanted profile. Every problem, with its line and column,
 * is thrown together in one ConfigError; a secret-like key in any profile is one of them.
 */
export async function readConfigFile(
  absolute: string,
  file: string,
  wanted: string | undefined,
): Promise<ConfigFileSettings> {
  const fail = (diagnostics: Diagnostic[]): never => {
    throw new ConfigError(
      `the config file ${file} has ${diagnostics.length === 1 ? 'a problem' : `${diagnostics.length} problems`}`,
      diagnostics,
    );
  };
  const opened = await openRegularFile(absolute);
  if ('refusal' in opened) {
    const code = opened.refusal.reason === 'not-a-file' ? 'file-not-regular' : 'config-invalid';
    return fail([
      makeDiagnostic(code, `the config file ${file} ${opened.refusal.message}`, { file }),
    ]);
  }
  let text: string;
  try {
    if (opened.size > MAX_CONFIG_BYTES)
      return fail([
        makeDiagnostic('file-too-large', `${file} is larger than 1 MiB`, {
          file,
          line: 0,
          column: 0,
        }),
      ]);
    text = await opened.handle.readFile('utf8');
  } finally {
    await opened.handle.close();
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: counter });
  const at = (node: Node | null | undefined) => {
    const { line, col } = counter.linePos(node?.range?.[0] ?? 0);
    return { file, line: line - 1, column: col - 1 };
  };
  const syntax = doc.errors.map((e) => {
    const { line, col } = counter.linePos(e.pos[0]);
    return makeDiagnostic('config-invalid', yamlErrorText(e.message) || 'malformed YAML', {
      file,
      line: line - 1,
      column: col - 1,
    });
  });
  if (syntax.length > 0) return fail(syntax);
  const structure = findStructureProblems(doc, counter, file);
  if (structure.length > 0) return fail(structure);
  const secrets = secretKeys(doc, at);
  if (secrets.length > 0) return fail(secrets);
  if (doc.contents === null) return { profile: {}, policy: {}, suppressions: [], recipients: {} };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return fail([
      makeDiagnostic('config-invalid', 'too many YAML aliases', { file, line: 0, column: 0 }),
    ]);
  }
  const check = validate(data);
  // policy: and suppressions: are checked below, value by value, with messages saying the form
  // each value takes; the schema describes the same rules (a test keeps the two in step).
  const errors = (check.errors ?? []).filter(
    (e) => !/^\/(policy|suppressions)(\/|$)/.test(e.instancePath),
  );
  const map = errors.length > 0 ? createSourceMap(doc, counter, file, text) : undefined;
  const found = errors.flatMap((e) => {
    const mapped = mapSchemaError({
      instancePath: e.instancePath,
      keyword: e.keyword,
      message: e.message ?? e.keyword,
      params: { ...e.params },
    });
    if (!mapped || !map) return [];
    const message = mapped.message.replace(/^the spec /, 'the config ');
    return [
      makeDiagnostic(
        'config-invalid',
        message,
        mapped.atKey ? map.locateKey(mapped.path) : map.locate(mapped.path),
        mapped.hint ? { hint: mapped.hint } : {},
      ),
    ];
  });
  const top = isMap(doc.contents) ? doc.contents : undefined;
  const failAt = (node: Node | null | undefined, message: string, hint?: string): never =>
    fail([makeDiagnostic('config-invalid', message, at(node), hint ? { hint } : {})]);
  // Each reader stops at its first problem; that problem is reported with the schema's.
  const attempt = <T>(read: () => T, instead: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      found.push(...error.diagnostics);
      return instead;
    }
  };
  const policy = attempt(
    () => readPolicy(top?.get('policy', true) as Node | undefined, failAt),
    {},
  );
  const { paths: suppressions, sites: suppressionSites } = attempt(
    () =>
      readSuppressionPaths(
        top?.get('suppressions', true) as Node | undefined,
        path.dirname(absolute),
        failAt,
        at,
      ),
    { paths: [], sites: {} },
  );
  if (found.length > 0) return fail(found);
  const config = data as ConfigData;
  const recipients = config.recipients ?? {};
  if (
    recipients.defaultCountry !== undefined &&
    !isKnownCountry(recipients.defaultCountry.toUpperCase())
  ) {
    const node = top?.get('recipients', true);
    failAt(
      isMap(node) ? node.get('defaultCountry', true) : undefined,
      `'${recipients.defaultCountry}' is not an ISO 3166 country code libphonenumber knows`,
      'two letters, e.g. CH, DE, GB, US',
    );
  }
  const seedMap = map ?? createSourceMap(doc, counter, file, text);
  const seed: { seed?: SeedSource } = config.seed
    ? {
        seed: {
          ...config.seed,
          from: 'config',
          file,
          absolutePath: absolute,
          locate: (p) => seedMap.locate(['seed', ...p]),
        },
      }
    : {};
  const passwords = Object.entries(config.profiles ?? {}).flatMap(([name, p]) => {
    const where = p.state === undefined ? undefined : stateUrlSecret(p.state);
    return where === undefined ? [] : [{ name, where }];
  });
  if (passwords.length > 0) {
    const profilesNode = top?.get('profiles', true);
    return fail(
      passwords.map(({ name, where }) => {
        const node = isMap(profilesNode)
          ? (profilesNode.get(name, true) as Node | undefined)
          : undefined;
        const stateNode = isMap(node) ? (node.get('state', true) as Node | undefined) : undefined;
        return makeDiagnostic(
          'config-secret',
          `the state URL holds a password (${where}); secrets are never read from the config file`,
          at(stateNode),
          {
            hint: 'remove it from the URL and give it in the environment: PGPASSWORD, a ~/.pgpass file, or the whole URL in WASPEC_STATE_URL',
          },
        );
      }),
    );
  }
  const name = wanted ?? config.profile ?? 'default';
  const base = path.dirname(absolute);
  const catalogue = (
    node: Node | null | undefined,
    value: string | undefined,
  ): { templates?: CatalogueRef } => {
    if (value === undefined) return {};
    const absolutePath = path.resolve(base, value);
    return { templates: { path: absolutePath, file: displayFile(absolutePath), at: at(node) } };
  };
  const topTemplates = catalogue(
    doc.getIn(['templates'], true) as Node | undefined,
    config.templates,
  );
  const rates: { rates?: RatesRef; media?: MediaSettings } = {
    ...(config.rates === undefined
      ? {}
      : {
          rates: {
            path: path.resolve(base, config.rates),
            file: displayFile(path.resolve(base, config.rates)),
            at: at(doc.getIn(['rates'], true) as Node | undefined),
          },
        }),
    ...(config.media ? { media: { ...config.media } } : {}),
  };
  if (config.profiles === undefined)
    return {
      profile: {},
      policy,
      suppressions,
      suppressionSites,
      recipients,
      ...seed,
      ...topTemplates,
      ...rates,
    };
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (profile === undefined) {
    const chosen = top?.get('profile', true) as Node | undefined;
    return fail([
      makeDiagnostic(
        'config-invalid',
        `no profile named '${name}'`,
        wanted === undefined && chosen ? at(chosen) : { file },
        { hint: `profiles: ${Object.keys(config.profiles).join(', ')}` },
      ),
    ]);
  }
  const templates =
    profile.templates === undefined
      ? topTemplates
      : catalogue(
          doc.getIn(['profiles', name, 'templates'], true) as Node | undefined,
          profile.templates,
        );
  return {
    profile: profile.allowOutside
      ? { ...profile, allowOutside: profile.allowOutside.map((p) => path.resolve(base, p)) }
      : profile,
    policy,
    suppressions,
    suppressionSites,
    recipients,
    ...seed,
    ...templates,
    ...rates,
  };
}
