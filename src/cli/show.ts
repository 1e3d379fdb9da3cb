import type { Command } from 'commander';
import { StalePlanError, EXIT } from '../errors.js';
import { describePlanChange } from '../report/plan-changes.js';
import { inputFileChanges, readSavedPlan, restoreSavedPlan } from '../plan/saved-plan.js';
import { savedPlanOutside, savedPlanRoots } from '../plan/verify-saved-plan.js';
import type { Plan } from '../plan/types.js';
import { formatPlan } from '../report/plan-format.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import {
  addAllowOutsideOption,
  addPlanOutputOptions,
  parseFormat,
  parseLimit,
  parseMaxBytes,
  resolveSpecReadOptions,
  type PlanOutputOptions,
} from './plan-options.js';
import { action, useColor } from './run.js';

interface ShowFlags extends PlanOutputOptions {
  config?: string;
  profile?: string;
  allowOutside: string[];
}

export function defineShowCommand(program: Command): void {
  const command = program
    .command('show')
    .summary('print a saved plan')
    .description(
      'Prints a plan saved with `waspec plan --out FILE`, in any format.\n' +
        'A saved plan holds no message texts (they are personal data): show takes them from its spec and\n' +
        "recipient files when they are here and unchanged, and otherwise shows each spec's message as written.",
    )
    .argument('<planfile>', 'the saved plan (JSON)')
    .option('--config <file>', 'config file (default waspec.config.yaml)')
    .option('--profile <name>', 'config profile');
  addAllowOutsideOption(command);
  addPlanOutputOptions(command).action(
    action(async (file: string, flags: ShowFlags) => {
      const format = parseFormat(flags.format);
      const maxBytes = parseMaxBytes(flags.maxBytes, format);
      const limit = parseLimit(flags.limit);
      const plan = await withContents(await readSavedPlan(file), file, flags);
      const mask = flags.mask;
      process.stdout.write(
        formatPlan(plan, {
          format,
          limit,
          color: useColor(process.stdout),
          ...(mask === undefined ? {} : { mask }),
          ...(maxBytes === undefined ? {} : { maxBytes }),
        }),
      );
      return EXIT.ok;
    }),
  );
}

/** The saved plan with its message texts from the spec and recipient files, when those are the plan's; else as saved, with a note. */
async function withContents(plan: Plan, file: string, flags: ShowFlags): Promise<Plan> {
  if (!plan.private) return plan;
  const specOptions = await resolveSpecReadOptions(flags);
  // Files it names outside the workspace are not read (a saved plan is untrusted).
  let why = await savedPlanOutside(plan, savedPlanRoots(specOptions));
  if (why === undefined) {
    const [changed] = await inputFileChanges(plan);
    why = changed && describePlanChange(changed);
  }
  if (why === undefined) {
    try {
      // Numbers stay masked, as saved.
      return await restoreSavedPlan(plan, file, specOptions, {
        numbers: false,
      });
    } catch (error) {
      if (!(error instanceof StalePlanError)) throw error;
      why = 'they do not compile to the plan';
    }
  }
  process.stderr.write(
    `note: a saved plan holds no message texts (each spec's message is shown as written); run \`waspec show\` where its spec and recipient files are, unchanged, to see them (${revealOneLine(why)})\n`,
  );
  return plan;
}
