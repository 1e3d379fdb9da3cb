import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineApplyCommand(program: Command): void {
  program
    .command('apply')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec apply is not built yet');
      }),
    );
}
