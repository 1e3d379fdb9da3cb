import { EXIT, type ExitCode } from '../errors.js';
import type { Command } from '@commander-js/extra-typings';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { buildPlan } from '../plan/build-plan.js';
import { writeSavedPlan } from '../plan/saved-plan.js';
import { planHasChanges } from '../plan/summarize-plan.js';
import { planJsonChunks } from '../plan/plan-json.js';
import { formatPlan } from '../report/plan-format.js';
import { formatPlanSummary } from '../report/plan-summary.js';
import { openStateStore } from '../state/open-state.js';
import {
  addPlanOutputOptions,
  addMediaOptions,
  ALLOW_COST_HELP,
  mediaCheckOf,
  ALLOW_LARGE_HELP,
  parseAllowCost,
  parseAllowLarge,
  parseLimit,
  parseMaxBytes,
  planMask,
  printDiagnostics,
  resolvePlanSettings,
} from './plan-options.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addStateOptions,
  type FlagsOf,
} from './options.js';
import { action, useColor } from './run.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `plan` and its flags, in --help order. */
function planCommand(program: Command) {
  const command = addStateOptions(
    program
      .command('plan')
      .summary('show what apply would send, to whom, with what content')
      .description(
        'Compiles the specs and diffs every message against the state: send, retry, unchanged, drift, rejected, in doubt, orphan;\n' +
          "the config's suppressions and policy hold messages back as suppressed, capped or in quiet hours.\n" +
          'Nothing is sent. Save the plan with --out and apply exactly that with `waspec apply FILE`.',
      )
      .argument('[paths...]', 'spec files or folders', ['specs']),
  )
    .option(
      '--out <file>',
      'save the plan as JSON for `waspec apply FILE` (with --format html: write the HTML page there)',
    )
    .option('--retry-rejected', 'plan messages the API rejected as send')
    .option(
      '--resend-in-doubt',
      'plan messages sent without a recorded answer as send (may send them twice)',
    )
    .option('--target <spec>', 'plan only this spec (repeatable)', collect, [])
    .option(
      '--detailed-exitcode',
      'exit 2 when the plan has a change (send, retry or drift) and no errors',
    )
    .option('--allow-large <n>', ALLOW_LARGE_HELP)
    .option('--allow-cost <amount>', ALLOW_COST_HELP);
  return addPlanOutputOptions(addMediaOptions(addAllowOutsideOption(addConfigOptions(command))));
}

type PlanFlags = FlagsOf<ReturnType<typeof planCommand>>;

export function definePlanCommand(program: Command): void {
  planCommand(program)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 errors, 2 a change to send, retry or drift (with --detailed-exitcode).',
    )
    .action(action((paths, flags) => runPlan(paths, flags)));
}

async function runPlan(paths: string[], flags: PlanFlags): Promise<ExitCode> {
  const format = flags.format;
  const limit = parseLimit(flags.limit);
  const maxBytes = parseMaxBytes(flags.maxBytes, format);
  const allowLarge = parseAllowLarge(flags.allowLarge);
  const allowCost = parseAllowCost(flags.allowCost);
  const settings = await resolvePlanSettings(flags);
  const store = openStateStore(settings.target);
  const plan = await buildPlan({
    paths,
    store,
    ...settings.guard,
    ...(allowLarge === undefined ? {} : { allowLarge }),
    ...(allowCost === undefined ? {} : { allowCost }),
    ...(await mediaCheckOf(flags)),
    retryRejected: flags.retryRejected ?? false,
    resendInDoubt: flags.resendInDoubt ?? false,
    targets: flags.target,
    defaultBatchSize: settings.defaultBatchSize,
    allowOutside: settings.allowOutside,
    ...(settings.templates ? { templates: settings.templates } : {}),
    recipientDefaults: settings.recipientDefaults,
    ...(settings.seed ? { seed: settings.seed } : {}),
  }).finally(() => store.close());
  const mask = planMask(flags.mask, format);
  printDiagnostics(plan.diagnostics, { mask });
  const failed = hasErrors(plan.diagnostics);
  // JSON lists every entry and content: millions of them are more text than one string holds.
  if (format === 'json') await writeChunks(process.stdout, planJsonChunks(plan, { mask }));
  const text =
    format === 'json'
      ? ''
      : formatPlan(plan, {
          format,
          limit,
          color: useColor(process.stdout),
          mask,
          ...(maxBytes === undefined ? {} : { maxBytes }),
        });
  if (format === 'html' && flags.out) {
    await writeFile(flags.out, text);
    process.stdout.write(
      `${formatPlanSummary(plan.summary)}\nWrote the HTML plan to ${flags.out}\n`,
    );
  } else {
    process.stdout.write(text);
    if (flags.out) {
      const note = (line: string): boolean =>
        (format === 'pretty' ? process.stdout : process.stderr).write(`${line}\n`);
      if (failed) note(`The plan has errors: not saved to ${flags.out}.`);
      else {
        await writeSavedPlan(flags.out, plan);
        note(`Saved the plan to ${flags.out}`);
      }
    }
  }
  if (failed) return EXIT.error;
  return flags.detailedExitcode && planHasChanges(plan.summary) ? EXIT.changes : EXIT.ok;
}

/** Writes the pieces in blocks of about 64 KiB, waiting when the stream asks. */
async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let block = '';
  for (const chunk of chunks) {
    block += chunk;
    if (block.length < 65536) continue;
    const full = block;
    block = '';
    if (!stream.write(full)) await once(stream, 'drain');
  }
  if (block && !stream.write(block)) await once(stream, 'drain');
}
