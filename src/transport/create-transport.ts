import type { ResolvedConfig } from '../config/load-config.js';
import type { Transport } from './types.js';

/** got-based transport with token handling (WASPEC_TOKEN or tokenByAkSk). */
export function createTransport(config: ResolvedConfig): Transport {
  throw new Error(`createTransport is not built yet (${config.baseUrl})`);
}
