import type { CatalogueRef } from '../catalogue/types.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Policy } from '../config/policy.js';
import type { RatesRef } from '../rates/types.js';
import { fileSuppressionSource } from '../suppressions/file-suppressions.js';
import type { SuppressionSource } from '../suppressions/types.js';

/** The config's approved-template catalogue, as buildPlan and watch take it. */
export function catalogueOf(config: ResolvedConfig): { templates?: CatalogueRef } {
  return config.templates ? { templates: config.templates } : {};
}

export interface GuardSettings {
  policy: Policy;
  suppressions: SuppressionSource[];
  /** The rate card (`rates:`): guarded like the policy, so plan and apply price alike. */
  rates?: RatesRef;
  /** Requests per second (the plan says how long apply takes). */
  rateLimit?: number;
}

export function guardSettingsOf(config: ResolvedConfig): GuardSettings {
  const rates = {
    ...(config.rates ? { rates: config.rates } : {}),
    ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
  };
  if (config.suppressions.length === 0)
    return { policy: config.policy, suppressions: [], ...rates };
  // Like recipient files: under the config's folder or the current directory, unless allowed by name.
  const roots = [config.configDir ?? process.cwd(), process.cwd(), ...(config.allowOutside ?? [])];
  return {
    policy: config.policy,
    suppressions: [
      fileSuppressionSource(config.suppressions, {
        roots,
        ...(config.suppressionSites ? { sites: config.suppressionSites } : {}),
        ...(config.recipients?.defaultCountry
          ? { defaultCountry: config.recipients.defaultCountry }
          : {}),
      }),
    ],
    ...rates,
  };
}
