import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.js';

// Every command and subcommand, as `waspec … --help` names them.
const COMMANDS = [
  ['validate'],
  ['compile'],
  ['plan'],
  ['show'],
  ['apply'],
  ['emulator'],
  ['watch'],
  ['preview'],
  ['demo'],
  ['init'],
  ...['list', 'show', 'migrate', 'settle', 'unlock', 'compact'].map((sub) => ['state', sub]),
  ...['add', 'remove', 'list', 'import'].map((sub) => ['suppress', sub]),
];

/** Flags several commands take: each has one help text wherever it appears. */
const SHARED = [
  '--config',
  '--profile',
  '--state',
  '--workspace',
  '--allow-outside',
  '--mask',
  '--no-mask',
  '--by',
  '--format',
  '--default-country',
];

/** The options of a --help page: flag name → description (wrapped lines joined, choices/default cut). */
function optionsOf(help: string): Map<string, string> {
  const options = new Map<string, string>();
  const section = help.split(/\nOptions:\n/)[1]?.split(/\n\n/)[0] ?? '';
  let current: string | undefined;
  for (const line of section.split('\n')) {
    const start = /^ {2}(-\w, )?(--[\w-]+)(?: <[^>]+>| \[[^\]]+\])?\s{2,}(.*)$/.exec(line);
    if (start?.[2] !== undefined) {
      current = start[2];
      options.set(current, start[3] ?? '');
    } else if (current !== undefined && /^\s{3,}\S/.test(line)) {
      options.set(current, `${options.get(current) ?? ''} ${line.trim()}`);
    }
  }
  for (const [name, text] of options)
    options.set(name, text.replace(/\s+/g, ' ').replace(/ \((choices|default): .*\)$/, ''));
  return options;
}

test('every shared flag has the same help text in every command that takes it', async () => {
  const seen = new Map<string, Map<string, string>>(SHARED.map((flag) => [flag, new Map()]));
  for (const command of COMMANDS) {
    const result = await runCli([...command, '--help']);
    assert.is(result.code, 0, command.join(' '));
    for (const [flag, text] of optionsOf(result.stdout)) {
      // demo's --state is the demo's own directory (default .waspec/demo), init's where a CI
      // workflow keeps it: neither is a state to choose.
      if ((command[0] === 'demo' || command[0] === 'init') && flag === '--state') continue;
      // The state keeps masked numbers only: its --no-mask is accepted for scripts, changes nothing.
      if (command[0] === 'state' && flag === '--no-mask') continue;
      seen.get(flag)?.set(command.join(' '), text);
    }
  }
  for (const [flag, texts] of seen) {
    const distinct = new Set(texts.values());
    assert.ok(texts.size >= 2, `${flag} is taken by ${texts.size} command(s)`);
    assert.is(
      distinct.size,
      1,
      `${flag}: ${[...texts].map(([command, text]) => `\n  ${command}: ${text}`).join('')}`,
    );
  }
});

test('the help parser finds options and joins wrapped lines', () => {
  const options = optionsOf(
    'Usage: x\n\nOptions:\n  --config <file>      config file\n  --format <format>    output format (choices: "a", "b",\n                       default: "a")\n  -h, --help           display help\n',
  );
  assert.is(options.get('--config'), 'config file');
  assert.is(options.get('--format'), 'output format');
  assert.is(options.get('--help'), 'display help');
});

test.run();
