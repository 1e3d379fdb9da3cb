import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function definePlanCommand(program: Command): void {
  program
    .command('plan')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec plan is not built yet');
      }),
    );
}
