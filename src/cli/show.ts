import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineShowCommand(program: Command): void {
  program
    .command('show')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec show is not built yet');
      }),
    );
}
