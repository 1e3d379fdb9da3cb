import type { Command } from 'commander';
import { formatDiagnostics } from '../report/diagnostics-format.js';
import { formatPlanSummary } from '../report/plan-summary.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import { watchWorkspace, type WatchRun } from '../watch/watch-workspace.js';
import { openStateStore } from '../state/open-state.js';
import { addAllowOutsideOption, resolvePlanSettings } from './plan-options.js';
import { action, reportError, useColor } from './run.js';

interface WatchFlags {
  allowOutside: string[];
  state?: string;
  workspace?: string;
  config?: string;
  profile?: string;
}

export function defineWatchCommand(program: Command): void {
  const command = program
    .command('watch')
    .description('re-validate and re-plan on every change of the specs, their recipient files, the config and the state')
    .argument('[paths...]', 'spec files or folders', ['specs'])
    .option('--state <dir-or-url>', 'state to plan against, read only: a directory or a postgres:// URL (changes of a PostgreSQL state start no run)')
    .option('--workspace <name>', 'workspace in a PostgreSQL state')
    .option('--config <file>', 'config file (default waspec.config.yaml)')
    .option('--profile <name>', 'config profile');
  addAllowOutsideOption(command)
    .addHelpText('after', '\nWatched: the spec files and folders (new *.yaml files in them are picked up), every recipient\nfile the specs name (recomputed after each run), the config file and the state journal.\nOn a terminal the screen is cleared before each run; otherwise each run is one block\nbetween "── waspec watch: run N ──" and "── end of run N ──". Ctrl-C stops it (exit 0).')
    .action(action((paths: string[], flags: WatchFlags) => runWatch(paths, flags)));
}

export function formatRun(run: WatchRun, color: boolean): string {
  const lines = [`── waspec watch: run ${run.run} ──`];
  if (run.diagnostics.length > 0) lines.push(formatDiagnostics(run.diagnostics, { format: 'pretty', color }));
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  if (!run.failure) lines.push(errors > 0 ? `✗ ${errors} error${errors === 1 ? '' : 's'}` : '✓ valid');
  if (run.failure) lines.push(`error: ${revealOneLine(run.failure.message)}`, ...(run.failure.hint ? [`hint: ${revealOneLine(run.failure.hint)}`] : []));
  if (run.plan) lines.push(formatPlanSummary(run.plan.summary));
  lines.push(`── end of run ${run.run} ──`, '');
  return lines.join('\n');
}

async function runWatch(paths: string[], flags: WatchFlags): Promise<number> {
  const { stateDir, target, guard, defaultBatchSize, allowOutside, recipientDefaults, templates } = await resolvePlanSettings(flags);
  const store = target.kind === 'postgres' ? openStateStore(target) : undefined;
  const tty = Boolean(process.stdout.isTTY);
  const color = useColor(process.stdout);
  const watcher = watchWorkspace(
    paths,
    (run) => {
      process.stdout.write(`${tty ? '\x1b[2J\x1b[H' : ''}${formatRun(run, color)}`);
    },
    { stateDir, guard, defaultBatchSize, allowOutside, recipientDefaults, ...(templates ? { templates } : {}), ...(store ? { store } : {}), ...(flags.config ? { configFile: flags.config } : {}), onError: (error) => reportError(error) },
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  await store?.close();
  return 0;
}
