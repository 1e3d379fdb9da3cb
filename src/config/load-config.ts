import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { WaspecError } from '../errors.js';
import { readPolicy, readSuppressionPaths, type Policy } from './policy.js';

export interface ResolvedConfig {
  /** e.g. https://service.example.com (no trailing slash) */
  baseUrl: string;
  appKey: string;
  /** From WASPEC_TOKEN only. */
  token?: string;
  /** From WASPEC_APP_SECRET only. */
  appSecret?: string;
  /** Where tokenByAkSk is served; defaults to baseUrl. */
  tokenUrl?: string;
  /** Destinations per request (default 100). */
  batchSize: number;
  /** Requests in flight (default 4). */
  concurrency: number;
  /** Requests per second; undefined means unlimited. */
  rateLimit?: number;
  /** State directory (default .waspec). */
  stateDir: string;
  /** A postgres:// URL: the state is in PostgreSQL instead of stateDir. */
  stateUrl?: string;
  /** Workspace within a PostgreSQL state (default `default`). */
  workspace: string;
  /** Request timeout in ms. */
  timeoutMs: number;
  /** Audience safety rules (`policy:`); shared by every profile. */
  policy: Policy;
  /** Absolute paths of the suppression files (`suppressions:`). */
  suppressions: string[];
}

export interface ConfigOverrides {
  cwd?: string;
  /** Path of the config file (default waspec.config.yaml in cwd, if present). */
  configFile?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Omit<ResolvedConfig, 'token' | 'appSecret' | 'policy' | 'suppressions'>>;
}

export const CONFIG_FILE_NAME = 'waspec.config.yaml';
/** Destinations per request for specs that set no batchSize, unless the config says otherwise. */
export const DEFAULT_BATCH_SIZE = 100;

type ProfileKey = 'baseUrl' | 'appKey' | 'tokenUrl' | 'batchSize' | 'concurrency' | 'rateLimit' | 'stateDir' | 'state' | 'workspace' | 'timeoutMs';
const STRING_KEYS = new Set<ProfileKey>(['baseUrl', 'appKey', 'tokenUrl', 'stateDir', 'state', 'workspace']);
const NUMBER_KEYS = new Set<ProfileKey>(['batchSize', 'concurrency', 'rateLimit', 'timeoutMs']);
const SECRET_KEY = /secret|token$|password|passwd|credential/i;

type Profile = Partial<Record<ProfileKey, string | number>>;

function fail(file: string, counter: LineCounter, node: Node | null | undefined, message: string, code = 'config-invalid', hint?: string): never {
  const { line, col } = counter.linePos(node?.range?.[0] ?? 0);
  throw new WaspecError(code, `${file}:${line}:${col}: ${message}`, hint ? { hint } : {});
}

function readProfile(file: string, counter: LineCounter, node: unknown, name: string): Profile {
  if (!isMap(node)) fail(file, counter, null, `profile '${name}' must be a mapping`);
  const profile: Profile = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyNode = pair.key as Node;
    if (SECRET_KEY.test(key) && key !== 'tokenUrl') {
      fail(file, counter, keyNode, `'${key}' looks like a secret; secrets are never read from the config file`, 'config-secret', 'set WASPEC_TOKEN or WASPEC_APP_SECRET in the environment (e.g. a CI secret) and remove it from the file');
    }
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (STRING_KEYS.has(key as ProfileKey)) {
      if (typeof value !== 'string') fail(file, counter, pair.value as Node, `${key} must be a string`);
      if (key === 'state') checkStateUrl(file, counter, pair.value as Node, value);
      profile[key as ProfileKey] = value;
    } else if (NUMBER_KEYS.has(key as ProfileKey)) {
      if (typeof value !== 'number' || !(value > 0)) fail(file, counter, pair.value as Node, `${key} must be a positive number`);
      profile[key as ProfileKey] = value;
    } else {
      fail(file, counter, keyNode, `unknown setting '${key}'`, 'config-invalid', `allowed: ${[...STRING_KEYS, ...NUMBER_KEYS].join(', ')}`);
    }
  }
  return profile;
}

interface ConfigFile {
  profile: Profile;
  policy: Policy;
  suppressions: string[];
}

/** `state:` is a postgres:// URL, and its password comes only from the environment. */
function checkStateUrl(file: string, counter: LineCounter, node: Node, value: string): void {
  if (!/^postgres(ql)?:\/\//i.test(value)) fail(file, counter, node, 'state must be a postgres:// URL (use stateDir for a directory)');
  let password = '';
  try {
    password = new URL(value).password;
  } catch {
    fail(file, counter, node, 'state is not a valid URL');
  }
  if (password) {
    fail(file, counter, node, 'the state URL holds a password; secrets are never read from the config file', 'config-secret', 'remove it from the URL and set PGPASSWORD (or WASPEC_STATE_URL) in the environment');
  }
}

async function readConfigFile(absolute: string, file: string, wanted: string | undefined): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    throw new WaspecError('config-invalid', `cannot read the config file ${file}`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors[0]) fail(file, counter, null, doc.errors[0].message.split('\n')[0] ?? 'malformed YAML');
  if (doc.contents === null) return { profile: {}, policy: {}, suppressions: [] };
  if (!isMap(doc.contents)) fail(file, counter, doc.contents, 'the config must be a mapping with profiles');
  const top = doc.contents;
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!TOP_KEYS.includes(key)) fail(file, counter, pair.key as Node, `unknown top-level key '${key}'`, 'config-invalid', `expected: ${TOP_KEYS.join(', ')}`);
  }
  const failAt = (node: Node | null | undefined, message: string, hint?: string): never => fail(file, counter, node, message, 'config-invalid', hint);
  const policy = readPolicy(top.get('policy', true) as Node | undefined, failAt);
  const suppressions = readSuppressionPaths(top.get('suppressions', true) as Node | undefined, path.dirname(absolute), failAt);
  const profiles = top.get('profiles', true);
  const name = wanted ?? String(top.get('profile') ?? 'default');
  if (profiles === undefined) return { profile: {}, policy, suppressions };
  if (!isMap(profiles)) fail(file, counter, null, 'profiles must be a mapping of names to settings');
  const chosen = profiles.get(name, true);
  if (chosen === undefined) {
    const names = profiles.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?'));
    throw new WaspecError('config-invalid', `${file}: no profile named '${name}'`, { hint: `profiles: ${names.join(', ')}` });
  }
  return { profile: readProfile(file, counter, chosen, name), policy, suppressions };
}

const TOP_KEYS = ['profile', 'profiles', 'policy', 'suppressions'];

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new WaspecError('config-invalid', `${name} must be a positive number, not '${value}'`);
  return n;
}

/** Config file profile < environment < flags. Secrets only from the environment. */
export async function loadConfig(overrides: ConfigOverrides = {}): Promise<ResolvedConfig> {
  const cwd = overrides.cwd ?? process.cwd();
  const env = overrides.env ?? process.env;
  const wantedProfile = overrides.profile ?? env.WASPEC_PROFILE;
  const explicit = overrides.configFile !== undefined;
  const file = path.resolve(cwd, overrides.configFile ?? CONFIG_FILE_NAME);
  const exists = await readFile(file).then(() => true, () => false);
  if (explicit && !exists) throw new WaspecError('config-invalid', `the config file ${overrides.configFile} does not exist`);
  const read = exists ? await readConfigFile(file, path.relative(cwd, file) || file, wantedProfile) : { profile: {}, policy: {}, suppressions: [] };
  const profile = read.profile;
  if (!exists && wantedProfile && wantedProfile !== 'default') {
    throw new WaspecError('config-invalid', `profile '${wantedProfile}' was asked for but there is no ${CONFIG_FILE_NAME}`);
  }
  const str = (k: ProfileKey) => (typeof profile[k] === 'string' ? profile[k] : undefined);
  const num = (k: ProfileKey) => (typeof profile[k] === 'number' ? profile[k] : undefined);
  const flags = overrides.flags ?? {};
  const config: ResolvedConfig = {
    baseUrl: (flags.baseUrl ?? env.WASPEC_BASE_URL ?? str('baseUrl') ?? '').replace(/\/+$/, ''),
    appKey: flags.appKey ?? env.WASPEC_APP_KEY ?? str('appKey') ?? '',
    batchSize: flags.batchSize ?? positive('WASPEC_BATCH_SIZE', env.WASPEC_BATCH_SIZE) ?? num('batchSize') ?? DEFAULT_BATCH_SIZE,
    concurrency: flags.concurrency ?? positive('WASPEC_CONCURRENCY', env.WASPEC_CONCURRENCY) ?? num('concurrency') ?? 4,
    stateDir: flags.stateDir ?? (env.WASPEC_STATE_DIR || undefined) ?? str('stateDir') ?? '.waspec',
    workspace: flags.workspace ?? (env.WASPEC_WORKSPACE || undefined) ?? str('workspace') ?? 'default',
    timeoutMs: flags.timeoutMs ?? num('timeoutMs') ?? 30_000,
    policy: read.policy,
    suppressions: read.suppressions,
  };
  const stateUrl = pickStateUrl(flags, env, str('state'));
  if (stateUrl) config.stateUrl = stateUrl;
  const rateLimit = flags.rateLimit ?? positive('WASPEC_RATE_LIMIT', env.WASPEC_RATE_LIMIT) ?? num('rateLimit');
  if (rateLimit !== undefined) config.rateLimit = rateLimit;
  const tokenUrl = flags.tokenUrl ?? env.WASPEC_TOKEN_URL ?? str('tokenUrl');
  if (tokenUrl) config.tokenUrl = tokenUrl;
  if (env.WASPEC_TOKEN) config.token = env.WASPEC_TOKEN;
  if (env.WASPEC_APP_SECRET) config.appSecret = env.WASPEC_APP_SECRET;
  return config;
}

/** The nearest layer that names a state wins (flags, environment, profile); a directory beats a URL below it. */
function pickStateUrl(flags: NonNullable<ConfigOverrides['flags']>, env: NodeJS.ProcessEnv, profileUrl: string | undefined): string | undefined {
  if (flags.stateDir) return undefined;
  if (flags.stateUrl) return flags.stateUrl;
  if (env.WASPEC_STATE_URL) return env.WASPEC_STATE_URL;
  if (env.WASPEC_STATE_DIR) return undefined;
  return profileUrl;
}

/** What apply needs beyond plan; a clear error naming every missing setting. */
export function requireSendConfig(config: ResolvedConfig): ResolvedConfig {
  const missing: string[] = [];
  if (!config.baseUrl) missing.push('WASPEC_BASE_URL (or baseUrl in the config profile)');
  if (!config.appKey) missing.push('WASPEC_APP_KEY (or appKey in the config profile)');
  if (!config.token && !config.appSecret) missing.push('WASPEC_TOKEN or WASPEC_APP_SECRET (environment only)');
  if (missing.length > 0) {
    throw new WaspecError('config-missing', `cannot send: missing ${missing.join(', ')}`, {
      hint: 'try `waspec demo` to see apply against the built-in emulator',
    });
  }
  if (!/^https?:\/\//.test(config.baseUrl)) {
    throw new WaspecError('config-invalid', `the base URL must start with http:// or https:// (got '${config.baseUrl}')`);
  }
  return config;
}
