import type { Command } from '@commander-js/extra-typings';
import { StalePlanError, EXIT } from '../errors.js';
import { describePlanChange } from '../report/plan-changes.js';
import { inputFileChanges, readSavedPlan, restoreSavedPlan } from '../plan/saved-plan.js';
import { savedPlanOutside, savedPlanRoots } from '../plan/verify-saved-plan.js';
import type { Plan } from '../plan/types.js';
import { formatPlan } from '../report/plan-format.js';
import { revealOneLine } from '../report/reveal-invisible.js';
import {
  addPlanOutputOptions,
  parseLimit,
  parseMaxBytes,
  planMask,
  resolveSpecReadOptions,
} from './plan-options.js';
import { addAllowOutsideOption, addConfigOptions, type FlagsOf } from './options.js';
import { action, useColor } from './run.js';

/** `show` and its flags, in --help order. */
function showCommand(program: Command) {
  const command = program
    .command('show')
    .summary('print a saved plan')
    .description(
      'Prints a plan saved with `waspec plan --out FILE`, in any format.\n' +
        'A saved plan holds no message texts (they are personal data): show takes them from its spec and\n' +
        "recipient files when they are here and unchanged, and otherwise shows each spec's message as written.",
    )
    .argument('<planfile>', 'the saved plan (JSON)');
  return addPlanOutputOptions(addAllowOutsideOption(addConfigOptions(command)));
}

type ShowFlags = FlagsOf<ReturnType<typeof showCommand>>;

export function defineShowCommand(program: Command): void {
  showCommand(program).action(
    action(async (file, flags) => {
      const format = flags.format;
      const maxBytes = parseMaxBytes(flags.maxBytes, format);
      const limit = parseLimit(flags.limit);
      const plan = await withContents(await readSavedPlan(file), file, flags);
      process.stdout.write(
        formatPlan(plan, {
          format,
          limit,
          color: useColor(process.stdout),
          mask: planMask(flags.mask, format),
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
