import { createInterface } from 'node:readline/promises';
import { emptyApplyResult } from '../apply/apply-result.js';
import type { ApplyView } from '../apply/apply-view.js';
import { interruptsView } from './interrupts-view.js';
import { formatApplyJson, formatApplySummary } from '../report/apply-summary.js';
import { formatPlan } from '../report/plan-format.js';
import { AFTER_TRIP, breakerCause, breakerReasons } from '../report/breaker-trip.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { formatSeedsDone, NO_SEEDS } from '../report/plan-seeds.js';
import { createProgressReporter } from './apply-progress.js';
import { printDiagnostics } from './print-diagnostics.js';
import { useColor } from './run.js';
import { noun } from '../report/plural.js';

async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C or Ctrl-D at the prompt is a no.
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  rl.on('close', () => cancel.abort());
  try {
    const answer = await rl.question("\nApply this plan? Only 'yes' will be accepted: ", {
      signal: cancel.signal,
    });
    return answer.trim() === 'yes';
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

/**
 * apply on the terminal: the plan and progress for people; with `json`, stdout holds the final
 * summary alone (for jq) and the plan goes to stderr.
 */
export function applyView(format: 'pretty' | 'json', mask: boolean): ApplyView {
  const json = format === 'json';
  const planOut = json ? process.stderr : process.stdout;
  return {
    ...interruptsView,
    diagnostics: (diagnostics) => printDiagnostics(diagnostics, { mask }),
    plan: (plan) =>
      planOut.write(formatPlan(plan, { format: 'pretty', color: useColor(planOut), mask })),
    nothingToSend: () => {
      planOut.write('\nNothing to send.\n');
      if (json) process.stdout.write(formatApplyJson(emptyApplyResult()));
    },
    noSeeds: () => process.stderr.write(`\n${NO_SEEDS}`),
    seedsDone: (step, sent) => {
      if (!sent && json) process.stdout.write(formatApplyJson(emptyApplyResult()));
      process.stderr.write(`\n${formatSeedsDone(step, sent)}`);
    },
    breakerHolds: (trip) =>
      process.stderr.write(
        `\nThe last apply was stopped by its circuit breaker at ${trip.at}: ${breakerCause(trip)}. Top reasons:\n${breakerReasons(trip).join('\n')}\nNothing was sent. Fix the cause, then: ${AFTER_TRIP}.\n`,
      ),
    confirm,
    cancelled: () => process.stderr.write('Apply cancelled; nothing was sent.\n'),
    joined: (run) => {
      const rate =
        run.rateLimit === undefined
          ? ''
          : `; its rate limit: ${run.rateLimit} requests/s for all workers together`;
      // started_by is state another process wrote: shown escaped.
      planOut.write(
        `Joining apply run ${run.id}, started by ${revealOneLine(run.startedBy)} at ${run.startedAt}: ${run.requests.toLocaleString('en-US')} requests, ${run.messages.toLocaleString('en-US')} messages${rate}.\n`,
      );
    },
    runStarted: (run) =>
      planOut.write(
        `\nApply run ${run.id}: ${run.requests.toLocaleString('en-US')} requests for the workers to share.\n`,
      ),
    progress: () => createProgressReporter(),
    workerLine: (n, line) => process.stderr.write(`worker ${n}: ${revealOneLine(line)}\n`),
    othersCarryOn: (count) =>
      process.stderr.write(
        `This worker stopped; ${count} other ${noun(count, 'worker carries', 'workers carry')} on the apply. The summary is the whole apply's so far.\n`,
      ),
    result: (result) =>
      process.stdout.write(json ? formatApplyJson(result) : `\n${formatApplySummary(result)}`),
  };
}
