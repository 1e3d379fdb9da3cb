import { Option, type Command } from 'commander';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { scaffold, type CiState } from '../init/scaffold.js';
import { action } from './run.js';

interface InitFlags {
  ci?: 'github';
  state?: CiState;
}

export function defineInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'set up this repository for waspec: a config, an example spec, .gitignore entries (and a CI workflow)',
    )
    .argument('[dir]', 'the repository to set up', '.')
    .addOption(new Option('--ci <provider>', 'also write a CI workflow').choices(['github']))
    .addOption(
      new Option(
        '--state <where>',
        "where the workflow keeps the state: postgres (a repository secret's database) or git (a committed journal)",
      ).choices(['postgres', 'git']),
    )
    .addHelpText(
      'after',
      '\nWrites waspec.config.yaml, specs/welcome.yaml and specs/recipients/welcome.csv, and adds the\n' +
        'local state to .gitignore; with --ci github also .github/workflows/waspec.yml. It never\n' +
        'overwrites a file (it says which it kept), so running it again changes nothing.\n\n' +
        'Examples:\n  npx waspec init\n  npx waspec init --ci github\n  npx waspec init --ci github --state git',
    )
    .action(action((dir: string, flags: InitFlags) => runInit(dir, flags)));
}

async function runInit(dir: string, flags: InitFlags): Promise<ExitCode> {
  if (flags.state && !flags.ci)
    throw new UsageError('--state says where a CI workflow keeps the state', 'add --ci github');
  const results = await scaffold({
    dir,
    ...(flags.ci ? { ci: flags.ci } : {}),
    ...(flags.state ? { ciState: flags.state } : {}),
  });
  for (const { file, action, detail } of results)
    process.stdout.write(`${action.padEnd(7)} ${file}${detail ? ` (${detail})` : ''}\n`);
  process.stdout.write(
    '\nNext: npx waspec validate, npx waspec plan, npx waspec demo (sends to the built-in emulator only)\n',
  );
  return EXIT.ok;
}
