import { EXIT, type ExitCode } from '../errors.js';

export interface Interrupts {
  /** Aborted by the first Ctrl-C (or SIGTERM) once sending has started. */
  readonly signal: AbortSignal;
  startSending(): void;
  dispose(): void;
}

/**
 * What a Ctrl-C (or SIGTERM) did: `cancelled` before sending (nothing was sent), `stopping` the
 * first while sending (no new requests), `quitting` the second (in flight stays in doubt).
 */
export type Interruption = 'cancelled' | 'stopping' | 'quitting';

/** How the command tells of an interruption and ends the process; the apply decides only when. */
export interface InterruptsView {
  interrupted(what: Interruption): void;
  /** Ends the process with `code`; called once the lock is released. */
  quit(code: ExitCode): void;
}

/**
 * Ctrl-C and SIGTERM while apply holds the lock. Before sending: quit, nothing was sent. While
 * sending: the first stops new requests (those in flight finish and are recorded); the second
 * quits at once, leaving what was in flight journalled as in flight: in doubt next time, never
 * re-sent blindly. Quitting releases the lock first, so the next apply needs no --force-unlock.
 */
export function handleInterrupts(
  releaseLock: () => Promise<void>,
  view: InterruptsView,
  options: { onSignal?: () => void; signals?: readonly NodeJS.Signals[] } = {},
): Interrupts {
  const controller = new AbortController();
  let sending = false;
  const quit = (what: Interruption) => {
    view.interrupted(what);
    void releaseLock().finally(() => view.quit(EXIT.interrupted));
  };
  const onSignal = () => {
    options.onSignal?.();
    if (!sending) return quit('cancelled');
    if (controller.signal.aborted) return quit('quitting');
    view.interrupted('stopping');
    controller.abort();
  };
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    startSending: () => void (sending = true),
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
