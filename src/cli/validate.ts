import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec validate is not built yet');
      }),
    );
}
