import { applyPlan } from '../apply/apply-plan.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { ApplyResult } from '../plan/apply-result.js';
import type { Plan } from '../plan/types.js';
import type { StateStore } from '../state/types.js';
import { createTransport } from '../transport/create-transport.js';
import { createProgressReporter } from './apply-progress.js';
import { handleInterrupts, type Interrupts } from './apply-signals.js';

/** Runs `fn` holding the state's apply lock, with Ctrl-C handled as apply does; releases both however it ends. */
export async function withApplyLock<T>(store: StateStore, force: boolean, fn: (interrupts: Interrupts) => Promise<T>): Promise<T> {
  const lock = await store.lock({ force });
  const interrupts = handleInterrupts(() => lock.release());
  try {
    return await fn(interrupts);
  } finally {
    interrupts.dispose();
    await lock.release();
  }
}

/**
 * The apply of apply and demo: obtains the token (a wrong key or secret fails here, before
 * anything is journalled or sent), then sends the plan with a progress display; from then on
 * Ctrl-C stops issuing requests instead of quitting.
 */
export async function sendPlan(plan: Plan, config: ResolvedConfig, store: StateStore, interrupts: Interrupts): Promise<ApplyResult> {
  const transport = createTransport(config);
  const progress = createProgressReporter();
  try {
    await transport.refreshToken();
    interrupts.startSending();
    return await applyPlan(plan, {
      store,
      transport,
      concurrency: config.concurrency,
      ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
      signal: interrupts.signal,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    transport.close();
  }
}

/** apply's exit code: 1 authentication failed, 130 interrupted, 3 some message not accepted, else 0. */
export function exitCodeOf(result: ApplyResult): number {
  if (result.authFailure) return 1;
  if (result.interrupted) return 130;
  const m = result.messages;
  return m.rejected + m.failed + m.inDoubt + m.notSent > 0 ? 3 : 0;
}
