import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function definePreviewCommand(program: Command): void {
  program
    .command('preview')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec preview is not built yet');
      }),
    );
}
