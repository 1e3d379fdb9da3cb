import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec demo is not built yet');
      }),
    );
}
