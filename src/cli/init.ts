import { Option, type Command } from '@commander-js/extra-typings';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { scaffold } from '../init/scaffold.js';
import type { FlagsOf } from './options.js';
import { action } from './run.js';

const INIT_HELP = [
  '',
  'Writes waspec.config.yaml, specs/welcome.yaml and specs/recipients/welcome.csv, and adds the',
  'local state to .gitignore; with --ci github also .github/workflows/waspec.yml. It never',
  'overwrites a file (it says which it kept), so running it again changes nothing.',
  '',
  'Examples:',
  '  npx waspec init',
  '  npx waspec init --ci github',
  '  npx waspec init --ci github --state git',
].join('\n');

/** `init` and its flags, in --help order. */
function initCommand(program: Command) {
  return program
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
    );
}

type InitFlags = FlagsOf<ReturnType<typeof initCommand>>;

export function defineInitCommand(program: Command): void {
  initCommand(program)
    .addHelpText('after', INIT_HELP)
    .action(action((dir, flags) => runInit(dir, flags)));
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
