import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogueRef } from '../catalogue/types.js';
import { WaspecError } from '../errors.js';
import type { SourceLocation } from '../suppressions/read-suppression-file.js';
import type { RecipientDefaults, SeedSource } from '../message-spec/types.js';
import type { RatesRef } from '../rates/types.js';
import type { Policy } from './policy.js';
import { readConfigFile, type ConfigFileSettings, type MediaSettings } from './read-config-file.js';

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
  /** Where the config names each suppression file (for diagnostics about the file). */
  suppressionSites?: Record<string, SourceLocation>;
  /** The config file's folder (the current directory without one): suppression files lie under it or the current directory. */
  configDir?: string;
  /** Absolute paths outside the workspace recipient files may come from. */
  allowOutside?: string[];
  /** The approved-template catalogue named by `templates:` (profile, else top level). */
  templates?: CatalogueRef;
  /** Defaults for every recipient file (the config's `recipients:`). */
  recipients?: RecipientDefaults;
  /** The config's `seed:`: test recipients of every spec without its own. */
  seed?: SeedSource;
  /** The rate card named by `rates:`. */
  rates?: RatesRef;
  /** `media:`: check media URLs on every validate and plan, and whether private addresses may be fetched. */
  media?: MediaSettings;
}

export interface ConfigOverrides {
  cwd?: string;
  /** Path of the config file (default waspec.config.yaml in cwd, if present). */
  configFile?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Omit<ResolvedConfig, 'token' | 'appSecret'>>;
}

export const CONFIG_FILE_NAME = 'waspec.config.yaml';
/** Destinations per request for specs that set no batchSize, unless the config says otherwise. */
export const DEFAULT_BATCH_SIZE = 100;

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!(n > 0))
    throw new WaspecError('config-invalid', `${name} must be a positive number, not '${value}'`);
  return n;
}

/** Config file profile < environment < flags. Secrets only from the environment. */
export async function loadConfig(overrides: ConfigOverrides = {}): Promise<ResolvedConfig> {
  const cwd = overrides.cwd ?? process.cwd();
  const env = overrides.env ?? process.env;
  const wantedProfile = overrides.profile ?? env.WASPEC_PROFILE;
  const file = path.resolve(cwd, overrides.configFile ?? CONFIG_FILE_NAME);
  // lstat, not a read: the path may be a FIFO or /dev/zero, which readConfigFile refuses.
  const exists = await lstat(file).then(
    () => true,
    () => false,
  );
  if (overrides.configFile !== undefined && !exists)
    throw new WaspecError(
      'config-invalid',
      `the config file ${overrides.configFile} does not exist`,
    );
  const read: ConfigFileSettings = exists
    ? await readConfigFile(file, overrides.configFile ?? CONFIG_FILE_NAME, wantedProfile)
    : { profile: {}, policy: {}, suppressions: [], recipients: {} };
  const profile = read.profile;
  if (!exists && wantedProfile && wantedProfile !== 'default') {
    throw new WaspecError(
      'config-invalid',
      `profile '${wantedProfile}' was asked for but there is no ${CONFIG_FILE_NAME}`,
    );
  }
  const flags = overrides.flags ?? {};
  const config: ResolvedConfig = {
    baseUrl: (flags.baseUrl ?? env.WASPEC_BASE_URL ?? profile.baseUrl ?? '').replace(/\/+$/, ''),
    appKey: flags.appKey ?? env.WASPEC_APP_KEY ?? profile.appKey ?? '',
    batchSize:
      flags.batchSize ??
      positive('WASPEC_BATCH_SIZE', env.WASPEC_BATCH_SIZE) ??
      profile.batchSize ??
      DEFAULT_BATCH_SIZE,
    concurrency:
      flags.concurrency ??
      positive('WASPEC_CONCURRENCY', env.WASPEC_CONCURRENCY) ??
      profile.concurrency ??
      4,
    stateDir:
      flags.stateDir ?? (env.WASPEC_STATE_DIR || undefined) ?? profile.stateDir ?? '.waspec',
    workspace:
      flags.workspace ?? (env.WASPEC_WORKSPACE || undefined) ?? profile.workspace ?? 'default',
    timeoutMs: flags.timeoutMs ?? profile.timeoutMs ?? 30_000,
    policy: read.policy,
    suppressions: read.suppressions,
    ...(read.suppressionSites ? { suppressionSites: read.suppressionSites } : {}),
    configDir: exists ? path.dirname(file) : cwd,
    recipients: read.recipients,
    ...(read.seed ? { seed: read.seed } : {}),
    allowOutside: [
      ...(flags.allowOutside ?? []).map((p) => path.resolve(cwd, p)),
      ...(profile.allowOutside ?? []),
    ],
  };
  const stateUrl = pickStateUrl(flags, env, profile.state);
  if (stateUrl) config.stateUrl = stateUrl;
  const rateLimit =
    flags.rateLimit ?? positive('WASPEC_RATE_LIMIT', env.WASPEC_RATE_LIMIT) ?? profile.rateLimit;
  if (rateLimit !== undefined) config.rateLimit = rateLimit;
  const tokenUrl = flags.tokenUrl ?? env.WASPEC_TOKEN_URL ?? profile.tokenUrl;
  if (tokenUrl) config.tokenUrl = tokenUrl;
  // Where the catalogue may lie: as for suppression files (src/cli/plan-options.ts).
  if (read.templates)
    config.templates = {
      ...read.templates,
      roots: [config.configDir ?? cwd, cwd, ...(config.allowOutside ?? [])],
    };
  if (read.rates)
    config.rates = {
      ...read.rates,
      roots: [config.configDir ?? cwd, cwd, ...(config.allowOutside ?? [])],
    };
  if (read.media) config.media = read.media;
  if (env.WASPEC_TOKEN) config.token = env.WASPEC_TOKEN;
  if (env.WASPEC_APP_SECRET) config.appSecret = env.WASPEC_APP_SECRET;
  return config;
}

/** The nearest layer that names a state wins (flags, environment, profile); a directory beats a URL below it. */
function pickStateUrl(
  flags: NonNullable<ConfigOverrides['flags']>,
  env: NodeJS.ProcessEnv,
  profileUrl: string | undefined,
): string | undefined {
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
  if (!config.token && !config.appSecret)
    missing.push('WASPEC_TOKEN or WASPEC_APP_SECRET (environment only)');
  if (missing.length > 0) {
    throw new WaspecError('config-missing', `cannot send: missing ${missing.join(', ')}`, {
      hint: 'try `waspec demo` to see apply against the built-in emulator',
    });
  }
  if (!/^https?:\/\//.test(config.baseUrl)) {
    throw new WaspecError(
      'config-invalid',
      `the base URL must start with http:// or https:// (got '${config.baseUrl}')`,
    );
  }
  return config;
}
