import { spawn } from 'node:child_process';
import type { Command } from '@commander-js/extra-typings';
import { UsageError, EXIT, type ExitCode } from '../errors.js';
import { startPreviewServer } from '../preview/server.js';
import { formatPlanSummary } from '../report/plan-summary.js';
import { watchWorkspace } from '../watch/watch-workspace.js';
import { openStateStore } from '../state/open-state.js';
import { resolvePlanSettings } from './plan-options.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addStateOptions,
  type FlagsOf,
} from './options.js';
import { action, reportError } from './run.js';
import { noun } from '../report/plural.js';

const PREVIEW_HELP = [
  '',
  'The state is planned against, read only (changes of a PostgreSQL state start no run).',
  'Phone numbers on the page are masked. Ctrl-C stops it. For a file to share, use',
  '`waspec plan --format html --out plan.html`.',
].join('\n');

/** `preview` and its flags, in --help order. */
function previewCommand(program: Command) {
  const command = program
    .command('preview')
    .description(
      'serve a local page showing every distinct message as a phone shows it; it updates live as you edit',
    )
    .argument('[paths...]', 'spec files or folders', ['specs'])
    .option('--port <n>', 'port (0: any free port)', '4173')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--open', 'open the page in the default browser');
  return addAllowOutsideOption(addConfigOptions(addStateOptions(command)));
}

type PreviewFlags = FlagsOf<ReturnType<typeof previewCommand>>;

export function definePreviewCommand(program: Command): void {
  previewCommand(program)
    .addHelpText('after', PREVIEW_HELP)
    .action(action((paths, flags) => runPreview(paths, flags)));
}

async function runPreview(paths: string[], flags: PreviewFlags): Promise<ExitCode> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, not '${flags.port}'`);
  const { stateDir, target, guard, defaultBatchSize, allowOutside, recipientDefaults, templates } =
    await resolvePlanSettings(flags);
  const store = target.kind === 'postgres' ? openStateStore(target) : undefined;
  const server = await startPreviewServer({ port, host: flags.host });
  process.stdout.write(`waspec preview on ${server.url} (Ctrl-C stops it)\n`);
  if (flags.open) openInBrowser(server.url);
  const watcher = watchWorkspace(
    paths,
    (run) => {
      server.update({
        ...(run.plan ? { plan: run.plan } : {}),
        diagnostics: run.diagnostics,
        ...(run.failure ? { failure: run.failure.message } : {}),
      });
      const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
      const outcome = run.plan
        ? formatPlanSummary(run.plan.summary)
        : `no plan: ${run.failure?.message ?? 'unknown'}`;
      process.stdout.write(
        `run ${run.run}: ${outcome}${errors ? ` · ${errors} ${noun(errors, 'error')}` : ''}\n`,
      );
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
  await server.close();
  return EXIT.ok;
}

/** Best effort: the URL is printed anyway, so a missing opener is not an error. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
