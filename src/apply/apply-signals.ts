import { EXIT } from '../errors.js';

export interface Interrupts {
  /** Aborted by the first Ctrl-C (or SIGTERM) once sending has started. */
  readonly signal: AbortSignal;
  startSending(): void;
  dispose(): void;
}

/**
 * Ctrl-C and SIGTERM while apply holds the lock. Before sending: quit, nothing was sent. While
 * sending: the first stops new requests (those in flight finish and are recorded); the second
 * quits at once, leaving what was in flight journalled as in flight: in doubt next time, never
 * re-sent blindly. Quitting releases the lock first, so the next apply needs no --force-unlock.
 */
export function handleInterrupts(
  releaseLock: () => Promise<void>,
  options: { onSignal?: () => void; signals?: readonly NodeJS.Signals[] } = {},
): Interrupts {
  const controller = new AbortController();
  let sending = false;
  const quit = (message: string) => {
    process.stderr.write(message);
    void releaseLock().finally(() => process.exit(EXIT.interrupted));
  };
  const onSignal = () => {
    options.onSignal?.();
    if (!sending) return quit('\nCancelled; nothing was sent.\n');
    if (controller.signal.aborted)
      return quit('\nQuitting now: requests in flight will show as in doubt in the next plan.\n');
    process.stderr.write(
      '\nStopping: no new requests; waiting for those in flight (Ctrl-C again to quit at once).\n',
    );
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
