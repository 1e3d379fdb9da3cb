import { EXIT, type ExitCode } from '../errors.js';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { EMULATOR_DEFAULTS, startEmulator } from '../emulator/server.js';
import { exitCodeOf, sendPlan, withApplyLock } from '../apply/send-plan.js';
import { interruptsView } from './interrupts-view.js';
import { buildPlan } from '../plan/build-plan.js';
import { catalogueOf, guardSettingsOf } from '../plan/plan-settings.js';
import { planHasWork } from '../plan/summarize-plan.js';
import { formatApplySummary } from '../report/apply-summary.js';
import { formatPlan } from '../report/plan-format.js';
import { formatPlanSummary } from '../report/plan-summary.js';
import { openStateStore } from '../state/open-state.js';
import { printDiagnostics } from './print-diagnostics.js';
import { resolveConfig, type FlagsOf } from './options.js';
import { action, useColor } from './run.js';
import { createProgressReporter } from './apply-progress.js';
import { noun } from '../report/plural.js';

const DEMO_HELP = [
  '',
  'Nothing leaves this machine: the emulator listens on 127.0.0.1 with demo credentials.',
  'Run it twice: the second run sends nothing, because everything was already accepted.',
].join('\n');

/** `demo` and its flags, in --help order. */
function demoCommand(program: Command) {
  return program
    .command('demo')
    .description(
      'plan and apply of specs/ against the built-in API emulator, with a local state directory',
    )
    .argument('[paths...]', 'spec files or folders', ['specs'])
    .option('--state <dir>', 'state directory of the demo', path.join('.waspec', 'demo'))
    .option('--reset', 'forget what earlier demos sent (wipe the demo state first)');
}

type DemoFlags = FlagsOf<ReturnType<typeof demoCommand>>;

export function defineDemoCommand(program: Command): void {
  demoCommand(program)
    .addHelpText('after', DEMO_HELP)
    .action(action((paths, flags) => runDemo(paths, flags)));
}

async function runDemo(paths: string[], flags: DemoFlags): Promise<ExitCode> {
  if (flags.reset) await rm(flags.state, { recursive: true, force: true });
  const emulator = await startEmulator({ latencyMs: 20 });
  const say = (text: string) => process.stdout.write(text);
  try {
    const config = await resolveConfig(
      {},
      { stateDir: flags.state },
      {
        WASPEC_BASE_URL: emulator.url,
        WASPEC_APP_KEY: EMULATOR_DEFAULTS.appKey,
        WASPEC_APP_SECRET: EMULATOR_DEFAULTS.appSecret,
      },
    );
    say(`waspec demo: emulator on ${emulator.url}, state in ${flags.state}\n\n── plan ──\n`);
    const store = openStateStore({ kind: 'file', dir: config.stateDir });
    // --force takes over only the lock of a demo that is gone.
    // The same inputs plan before and after the apply.
    const inputs = {
      paths,
      store,
      ...guardSettingsOf(config),
      ...catalogueOf(config),
      defaultBatchSize: config.batchSize,
      recipientDefaults: config.recipients ?? {},
      ...(config.seed ? { seed: config.seed } : {}),
    };
    return await withApplyLock(store, true, interruptsView, async (interrupts) => {
      const plan = await buildPlan(inputs);
      printDiagnostics(plan.diagnostics);
      if (hasErrors(plan.diagnostics)) return EXIT.error;
      say(formatPlan(plan, { format: 'pretty', color: useColor(process.stdout), limit: 3 }));
      if (!planHasWork(plan.summary)) {
        say(`\nNothing to send (${formatPlanSummary(plan.summary)}). Use --reset to start over.\n`);
        return EXIT.ok;
      }
      say('\n── apply ──\n');
      // The real tokenByAkSk flow, with the demo's app key and secret.
      const result = await sendPlan(plan, config, store, interrupts, () =>
        createProgressReporter(),
      );
      say(formatApplySummary(result));
      const after = await buildPlan(inputs);
      say(`\n── plan again ──\n${formatPlanSummary(after.summary)}\n`);
      const stats = emulator.stats();
      say(
        `Emulator: ${stats.requests} requests, ${stats.uniqueMessageIds} messages, ${stats.duplicates} duplicates, ${stats.tokensIssued} ${noun(stats.tokensIssued, 'token')} issued.\n`,
      );
      return exitCodeOf(result);
    });
  } finally {
    await emulator.close();
  }
}
