import type { Command } from 'commander';
import { WaspecError } from '../errors.js';
import { action } from './run.js';

export function defineEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('(not built yet)')
    .action(
      action(async () => {
        throw new WaspecError('not-implemented', 'waspec emulator is not built yet');
      }),
    );
}
