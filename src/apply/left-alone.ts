/**
 * A worker started beside its parent (apply --workers) is left alone when the parent dies (the
 * IPC channel to it disconnects) or when its output pipe closes (EPIPE): it must then hand back
 * its work before it exits, not exit at the first failed write.
 */

let outputClosedHandler: (() => void) | undefined;

/**
 * Called by the entry point when stdout or stderr fails with a closed pipe; true when a worker
 * takes care of it (it keeps running and hands back its work), false when the process may end.
 */
export function outputClosed(): boolean {
  if (!outputClosedHandler) return false;
  outputClosedHandler();
  return true;
}

/** Aborts when this worker is left alone; `dispose` stops watching. */
export function watchLeftAlone(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const leftAlone = () => controller.abort();
  const handler = leftAlone;
  outputClosedHandler = handler;
  // The channel only tells of the parent's end: it must not keep this process running.
  process.channel?.unref();
  process.on('disconnect', leftAlone);
  // Started with a channel whose parent is already gone.
  if (process.send !== undefined && !process.connected) leftAlone();
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('disconnect', leftAlone);
      if (outputClosedHandler === handler) outputClosedHandler = undefined;
    },
  };
}
