import type { Command } from 'commander';
import { readSavedPlan } from '../plan/saved-plan.js';
import { formatPlan } from '../report/plan-format.js';
import { addPlanOutputOptions, parseFormat, parseLimit, parseMaxBytes, type PlanOutputOptions } from './plan-options.js';
import { action, useColor } from './run.js';

export function defineShowCommand(program: Command): void {
  const command = program
    .command('show')
    .summary('print a saved plan')
    .description('Prints a plan saved with `waspec plan --out FILE`, in any format.')
    .argument('<planfile>', 'the saved plan (JSON)');
  addPlanOutputOptions(command).action(
    action(async (file: string, flags: PlanOutputOptions) => {
      const plan = await readSavedPlan(file);
      const mask = flags.mask;
      const format = parseFormat(flags.format);
      const maxBytes = parseMaxBytes(flags.maxBytes, format);
      process.stdout.write(
        formatPlan(plan, { format, limit: parseLimit(flags.limit), color: useColor(process.stdout), ...(mask === undefined ? {} : { mask }), ...(maxBytes === undefined ? {} : { maxBytes }) }),
      );
      return 0;
    }),
  );
}
