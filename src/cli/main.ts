#!/usr/bin/env node
import { Command } from '@commander-js/extra-typings';
import { outputClosed } from '../apply/left-alone.js';
import { EXIT } from '../errors.js';
import { argsWantJson, reportError } from './run.js';
import { packageVersion } from './version.js';

type DefineCommand = (program: Command) => void;

/**
 * Each command's module, imported only when that command runs (as changesets and the Prisma CLI
 * do): a command does not pay at start-up for the others' dependencies (the HTTP client, the
 * emulator, the watcher, the preview server). The order here is the order in --help.
 */
const COMMANDS: Record<string, () => Promise<DefineCommand>> = {
  validate: async () => (await import('./validate.js')).defineValidateCommand,
  compile: async () => (await import('./compile.js')).defineCompileCommand,
  plan: async () => (await import('./plan.js')).definePlanCommand,
  show: async () => (await import('./show.js')).defineShowCommand,
  apply: async () => (await import('./apply.js')).defineApplyCommand,
  emulator: async () => (await import('./emulator.js')).defineEmulatorCommand,
  watch: async () => (await import('./watch.js')).defineWatchCommand,
  preview: async () => (await import('./preview.js')).definePreviewCommand,
  demo: async () => (await import('./demo.js')).defineDemoCommand,
  init: async () => (await import('./init.js')).defineInitCommand,
  state: async () => (await import('./state.js')).defineStateCommand,
  suppress: async () => (await import('./suppress.js')).defineSuppressCommand,
};

/** The commands an invocation needs: the one it names, none for --version, else all (help, errors). */
function commandsFor(args: readonly string[]): string[] {
  const [first] = args;
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (args.length === 1 && (first === '--version' || first === '-V')) return [];
  return Object.keys(COMMANDS);
}

// `waspec plan | head` closes the pipe early: that is the reader's choice, not an error. A worker
// of apply --workers hands back its work first, and never ends with 0 while it holds claims.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      if (outputClosed()) return;
      process.exit(process.exitCode ?? EXIT.ok);
    }
    throw error;
  });
}

const program = new Command('waspec')
  .description(
    'Compile declarative YAML message specs into WhatsApp messages and send them exactly once.',
  )
  .version(packageVersion())
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  const defines = await Promise.all(
    commandsFor(process.argv.slice(2)).flatMap((name) => COMMANDS[name]?.() ?? []),
  );
  for (const define of defines) define(program);
  await program.parseAsync(process.argv);
} catch (error) {
  // commander throws on --help/--version (exit 0) and on usage errors (already printed).
  if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.error;
  } else {
    process.exitCode = reportError(error, { json: argsWantJson(process.argv.slice(2)) });
  }
}
