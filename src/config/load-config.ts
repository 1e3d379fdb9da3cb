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
  /** Request timeout in ms. */
  timeoutMs: number;
}

export interface ConfigOverrides {
  cwd?: string;
  /** Path of the config file (default waspec.config.yaml in cwd, if present). */
  configFile?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Omit<ResolvedConfig, 'token' | 'appSecret'>>;
}

/** Config file profile < environment < flags. Secrets only from the environment. */
export async function loadConfig(overrides: ConfigOverrides = {}): Promise<ResolvedConfig> {
  throw new Error(`loadConfig is not built yet (${overrides.profile ?? ''})`);
}
