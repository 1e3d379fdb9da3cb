import type { Interruption, InterruptsView } from '../apply/apply-signals.js';

const SAY: Record<Interruption, string> = {
  cancelled: '\nCancelled; nothing was sent.\n',
  quitting: '\nQuitting now: requests in flight will show as in doubt in the next plan.\n',
  stopping:
    '\nStopping: no new requests; waiting for those in flight (Ctrl-C again to quit at once).\n',
};

/** Ctrl-C during apply (and demo) on the terminal: said on stderr; quitting ends the process. */
export const interruptsView: InterruptsView = {
  interrupted: (what) => void process.stderr.write(SAY[what]),
  quit: (code) => process.exit(code),
};
