import cliProgress from 'cli-progress';
import type { ApplyProgress } from '../apply/apply-plan.js';
import type { ProgressView } from '../apply/apply-view.js';

/** A bar on a TTY; without one, a plain line every few seconds (CI logs stay readable). */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 2000,
): ProgressView {
  const since = performance.now();
  const rate = (p: ApplyProgress) =>
    (p.started / Math.max(0.001, (performance.now() - since) / 1000)).toFixed(1);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          'apply [{bar}] {value}/{total} messages · {rate} requests/s · {inFlight} in flight · {eta_formatted} left',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stopped = false;
    return {
      update(p) {
        if (!started) {
          bar.start(p.total, p.done, { inFlight: p.inFlight, rate: rate(p) });
          started = true;
        }
        bar.update(p.done, { inFlight: p.inFlight, rate: rate(p) });
      },
      stop: () => {
        if (started && !stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let last: ApplyProgress | undefined;
  let printed = '';
  const print = () => {
    if (!last) return;
    const line = `apply: ${last.done.toLocaleString('en-US')}/${last.total.toLocaleString('en-US')} messages, ${last.inFlight} requests in flight, ${rate(last)} requests/s`;
    if (line !== printed) stream.write(`${line}\n`);
    printed = line;
  };
  const timer = setInterval(print, intervalMs);
  timer.unref();
  let stopped = false;
  return {
    update: (p) => (last = p),
    stop: () => {
      clearInterval(timer);
      if (!stopped) print();
      stopped = true;
    },
  };
}
