import { EXIT, type ExitCode } from '../errors.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { DEFAULT_BREAKER, type BreakerSettings } from '../config/policy.js';
import type { Plan } from '../plan/types.js';
import type { BreakerTrip, StateStore } from '../state/types.js';
import { createTransport } from '../transport/create-transport.js';
import type { Transport } from '../transport/types.js';
import { applyPlan, type ApplyProgress } from './apply-plan.js';
import type { ApplyResult } from './apply-result.js';
import { handleInterrupts, type Interrupts, type InterruptsView } from './apply-signals.js';
import type { ProgressView } from './apply-view.js';

/** Runs `fn` holding the state's apply lock, with Ctrl-C handled as apply does; releases both however it ends. */
export async function withApplyLock<T>(
  store: StateStore,
  force: boolean,
  view: InterruptsView,
  fn: (interrupts: Interrupts) => Promise<T>,
): Promise<T> {
  const lock = await store.lock({ force });
  const interrupts = handleInterrupts(() => lock.release(), view);
  try {
    return await fn(interrupts);
  } finally {
    interrupts.dispose();
    await lock.release();
  }
}

/** What sending needs besides the requests: the transport, the stop signal, progress. */
export interface SendDeps {
  transport: Transport;
  concurrency: number;
  signal: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
}

/**
 * How apply, demo and apply's workers send: obtain the token (a wrong key or secret fails here,
 * before anything is journalled or sent), then run `send`; from then on Ctrl-C stops issuing
 * requests instead of quitting. No `progress` for workers a parent started (it shows theirs).
 */
export async function withTransport<T>(
  config: ResolvedConfig,
  interrupts: Interrupts,
  send: (deps: SendDeps) => Promise<T>,
  progressView?: () => ProgressView,
): Promise<T> {
  const transport = createTransport(config);
  const progress = progressView?.();
  try {
    await transport.refreshToken();
    interrupts.startSending();
    return await send({
      transport,
      concurrency: config.concurrency,
      signal: interrupts.signal,
      ...(progress ? { onProgress: (p: ApplyProgress) => progress.update(p) } : {}),
    });
  } finally {
    progress?.stop();
    transport.close();
  }
}

/** The apply of apply and demo: the plan sent by this process. */
export function sendPlan(
  plan: Plan,
  config: ResolvedConfig,
  store: StateStore,
  interrupts: Interrupts,
  progressView: () => ProgressView,
  ignoreBreaker = false,
): Promise<ApplyResult> {
  return withTransport(
    config,
    interrupts,
    (deps) =>
      applyPlan(plan, {
        ...deps,
        store,
        ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
        ...breakerOf(config, ignoreBreaker),
      }),
    progressView,
  );
}

/** The breaker apply sends with: the config's (DEFAULT_BREAKER when unset), none when off or ignored. */
export function breakerOf(config: ResolvedConfig, ignore: boolean): { breaker?: BreakerSettings } {
  const breaker = config.policy.breaker ?? DEFAULT_BREAKER;
  return ignore || breaker === false ? {} : { breaker };
}

/**
 * apply's exit code: 1 authentication failed, 130 interrupted, 5 the breaker stopped it (or judged
 * the canary unhealthy), 6 paused after a healthy canary, 3 some message not accepted, else 0.
 */
export function exitCodeOf(result: ApplyResult): ExitCode {
  if (result.authFailure) return EXIT.error;
  if (result.interrupted) return EXIT.interrupted;
  if (result.breaker) return EXIT.breaker;
  if (result.paused) return EXIT.paused;
  const m = result.messages;
  return m.rejected + m.failed + m.inDoubt + m.notSent > 0 ? EXIT.notAccepted : EXIT.ok;
}

/**
 * Whether the last apply's breaker trip holds this one back: after a trip apply sends the rest
 * only when told (--resume or --ignore-breaker); its first in-flight record clears the trip.
 */
export function breakerHolds(
  plan: Plan,
  options: { ignoreBreaker?: boolean; resume?: boolean },
): plan is Plan & { inputs: { state: { breaker: BreakerTrip } } } {
  return plan.inputs.state.breaker !== undefined && !options.ignoreBreaker && !options.resume;
}
