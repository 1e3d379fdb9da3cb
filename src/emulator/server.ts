export interface EmulatorOptions {
  port?: number;
  host?: string;
  appKey?: string;
  appSecret?: string;
  /** A static token accepted besides issued ones. */
  token?: string;
  /** Phone numbers answered with a REJECTED status. */
  rejectNumbers?: readonly string[];
  failRate?: number;
  throttleRps?: number;
  resetRate?: number;
  latencyMs?: number;
  tokenTtlSeconds?: number;
  seed?: number;
}

export interface EmulatorStats {
  requests: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  uniqueMessageIds: number;
  tokensIssued: number;
  byStatus: Record<string, number>;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:43123 */
  url: string;
  port: number;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  throw new Error(`startEmulator is not built yet (${options.port ?? 0})`);
}
