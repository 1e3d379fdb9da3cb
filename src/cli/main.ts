#!/usr/bin/env node
import { Command } from 'commander';
import { defineValidateCommand } from './validate.js';
import { defineCompileCommand } from './compile.js';
import { definePlanCommand } from './plan.js';
import { defineShowCommand } from './show.js';
import { defineApplyCommand } from './apply.js';
import { defineEmulatorCommand } from './emulator.js';
import { defineWatchCommand } from './watch.js';
import { definePreviewCommand } from './preview.js';
import { defineDemoCommand } from './demo.js';
import { defineInitCommand } from './init.js';
import { reportError } from './run.js';
import { packageVersion } from './version.js';

// `waspec plan | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const program = new Command('waspec')
  .description('Compile declarative YAML message specs into WhatsApp messages and send them exactly once.')
  .version(packageVersion())
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

defineValidateCommand(program);
defineCompileCommand(program);
definePlanCommand(program);
defineShowCommand(program);
defineApplyCommand(program);
defineEmulatorCommand(program);
defineWatchCommand(program);
definePreviewCommand(program);
defineDemoCommand(program);
defineInitCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // commander throws on --help/--version (exit 0) and on usage errors (already printed).
  if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
    process.exitCode = error.exitCode === 0 ? 0 : 1;
  } else {
    process.exitCode = reportError(error);
  }
}
