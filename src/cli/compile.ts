import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineCompileCommand(program: Command): void {
  program
    .command('compile')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec compile is not built yet');
      }),
    );
}
