import { EXIT, type ExitCode } from '../errors.js';
import { Option, type Command } from 'commander';
import { scaffold } from '../init/scaffold.js';
import { action } from './run.js';

interface InitFlags {
  ci?: 'github';
}

export function defineInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'set up this repository for waspec: a config, an example spec, .gitignore entries (and a CI workflow)',
    )
    .argument('[dir]', 'the repository to set up', '.')
    .addOption(new Option('--ci <provider>', 'also write a CI workflow').choices(['github']))
    .addHelpText(
      'after',
      '\nWrites waspec.config.yaml, specs/welcome.yaml and specs/recipients/welcome.csv, and adds the\n' +
        'local state to .gitignore; with --ci github also .github/workflows/waspec.yml. It never\n' +
        'overwrites a file (it says which it kept), so running it again changes nothing.\n\n' +
        'Examples:\n  npx waspec init\n  npx waspec init --ci github',
    )
    .action(action((dir: string, flags: InitFlags) => runInit(dir, flags)));
}

async function runInit(dir: string, flags: InitFlags): Promise<ExitCode> {
  const results = await scaffold({ dir, ...(flags.ci ? { ci: flags.ci } : {}) });
  for (const { file, action, detail } of results)
    process.stdout.write(`${action.padEnd(7)} ${file}${detail ? ` (${detail})` : ''}\n`);
  process.stdout.write(
    '\nNext: npx waspec validate, npx waspec plan, npx waspec demo (sends to the built-in emulator only)\n',
  );
  return EXIT.ok;
}
