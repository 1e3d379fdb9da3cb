import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec watch is not built yet');
      }),
    );
}
