import { EXIT, type ExitCode } from '../errors.js';
import type { Command } from '@commander-js/extra-typings';
import { formatDiagnostics } from '../report/diagnostics-format.js';
import type { Plan } from '../plan/types.js';
import { formatPlan } from '../report/plan-format.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { comparePlans } from '../watch/compare-plans.js';
import { formatPlanMoves } from '../watch/format-moves.js';
import { watchWorkspace, type WatchRun } from '../watch/watch-workspace.js';
import { openStateStore } from '../state/open-state.js';
import { resolvePlanSettings } from './plan-options.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addStateOptions,
  type FlagsOf,
} from './options.js';
import { action, reportError, useColor } from './run.js';
import { noun } from '../report/plural.js';

const WATCH_HELP = [
  '',
  'The state is planned against, read only (changes of a PostgreSQL state start no run).',
  'Watched: the spec files and folders (new *.yaml files in them are picked up), every recipient',
  'file the specs name (recomputed after each run), the config file and the state journal.',
  'On a terminal the screen is cleared before each run; otherwise each run is one block',
  'between "── waspec watch: run N ──" and "── end of run N ──". From the second run on, a line says what',
  'moved since the previous plan, e.g. "Since last run: text of promo changed: 3,100 messages · +12 recipients".',
  'Ctrl-C stops it (exit 0).',
].join('\n');

/** `watch` and its flags, in --help order. */
function watchCommand(program: Command) {
  const command = program
    .command('watch')
    .description(
      're-validate and re-plan on every change of the specs, their recipient files, the config and the state; each run prints the plan and what moved since the last one',
    )
    .argument('[paths...]', 'spec files or folders', ['specs']);
  return addAllowOutsideOption(addConfigOptions(addStateOptions(command)));
}

type WatchFlags = FlagsOf<ReturnType<typeof watchCommand>>;

export function defineWatchCommand(program: Command): void {
  watchCommand(program)
    .addHelpText('after', WATCH_HELP)
    .action(action((paths, flags) => runWatch(paths, flags)));
}

/** One run's block: problems, the plan, and (after the first plan) what moved since the previous one. */
export function formatRun(run: WatchRun, color: boolean, previous?: Plan): string {
  const lines = [`── waspec watch: run ${run.run} ──`];
  if (run.diagnostics.length > 0)
    lines.push(formatDiagnostics(run.diagnostics, { format: 'pretty', color }));
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  if (!run.failure) lines.push(errors > 0 ? `✗ ${errors} ${noun(errors, 'error')}` : '✓ valid');
  if (run.failure)
    lines.push(
      `error: ${revealOneLine(run.failure.message)}`,
      ...(run.failure.hint ? [`hint: ${revealOneLine(run.failure.hint)}`] : []),
    );
  if (run.plan) {
    lines.push('', formatPlan(run.plan, { format: 'pretty', color }).trimEnd());
    if (previous)
      lines.push('', formatPlanMoves(comparePlans(previous, run.plan), run.plan.specs.length));
  }
  lines.push(`── end of run ${run.run} ──`, '');
  return lines.join('\n');
}

async function runWatch(paths: string[], flags: WatchFlags): Promise<ExitCode> {
  const { stateDir, target, guard, defaultBatchSize, allowOutside, recipientDefaults, templates } =
    await resolvePlanSettings(flags);
  const store = target.kind === 'postgres' ? openStateStore(target) : undefined;
  const tty = Boolean(process.stdout.isTTY);
  const color = useColor(process.stdout);
  // The last plan shown: a run that could not plan (the state mid-write) is skipped over.
  let previous: Plan | undefined;
  const watcher = watchWorkspace(
    paths,
    (run) => {
      process.stdout.write(`${tty ? '\x1b[2J\x1b[H' : ''}${formatRun(run, color, previous)}`);
      if (run.plan) previous = run.plan;
    },
    {
      stateDir,
      guard,
      defaultBatchSize,
      allowOutside,
      recipientDefaults,
      ...(templates ? { templates } : {}),
      ...(store ? { store } : {}),
      ...(flags.config ? { configFile: flags.config } : {}),
      onError: (error) => reportError(error),
    },
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  await store?.close();
  return EXIT.ok;
}
