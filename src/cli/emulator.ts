import type { Command } from '@commander-js/extra-typings';
import { EMULATOR_DEFAULTS, startEmulator, type EmulatorOptions } from '../emulator/server.js';
import { UsageError, EXIT, type ExitCode } from '../errors.js';
import type { FlagsOf } from './options.js';
import { action } from './run.js';

function number(name: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new UsageError(`--${name} must be a number from 0 to ${max}, not '${value}'`);
  return n;
}

const EMULATOR_HELP = [
  '',
  'Endpoints: POST /apiaccess/rest/ccmessaging/omni/1/advanced, POST /apigovernance/api/oauth/tokenByAkSk,',
  'GET /_emulator/stats, GET /_emulator/messages, GET /_emulator/requests, POST /_emulator/expire-tokens.',
  'Stops on Ctrl-C.',
].join('\n');

/** `emulator` and its flags, in --help order. */
function emulatorCommand(program: Command) {
  return program
    .command('emulator')
    .description(
      'run a local stand-in for the AICC API (sendWhatsappMessage and tokenByAkSk) on 127.0.0.1',
    )
    .option('--port <n>', 'port to listen on (0: any free port)', String(EMULATOR_DEFAULTS.port))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--app-key <key>', 'the app key it accepts', EMULATOR_DEFAULTS.appKey)
    .option(
      '--app-secret <secret>',
      'the app secret it accepts (demo default)',
      EMULATOR_DEFAULTS.appSecret,
    )
    .option(
      '--token <token>',
      'a static bearer token it accepts besides issued ones (demo default)',
      EMULATOR_DEFAULTS.token,
    )
    .option(
      '--reject <number...>',
      'numbers answered with a REJECTED status (digits, e.g. 41793026727)',
      [],
    )
    .option(
      '--reject-rate <r>',
      'share of numbers answered with a REJECTED status, the same numbers every run (0-1)',
    )
    .option(
      '--fail-rate <r>',
      'share of send requests answered 500/502/503 without processing (0-1)',
    )
    .option('--throttle <rps>', 'requests per second above which it answers 429 with Retry-After')
    .option(
      '--reset-rate <r>',
      'share of send requests whose connection is destroyed, half before and half after processing (0-1)',
    )
    .option('--latency <ms>', 'delay before each send answer')
    .option('--token-ttl <s>', 'lifetime of issued tokens in seconds')
    .option('--seed <n>', 'seed of the fault injection, for repeatable runs');
}

type EmulatorFlags = FlagsOf<ReturnType<typeof emulatorCommand>>;

export function defineEmulatorCommand(program: Command): void {
  emulatorCommand(program)
    .addHelpText('after', EMULATOR_HELP)
    .action(action(async (flags) => runEmulator(flags)));
}

async function runEmulator(flags: EmulatorFlags): Promise<ExitCode> {
  const options: EmulatorOptions = {
    port: number('port', flags.port, 65535) ?? EMULATOR_DEFAULTS.port,
    host: flags.host,
    appKey: flags.appKey,
    appSecret: flags.appSecret,
    token: flags.token,
    rejectNumbers: flags.reject,
  };
  const add = <K extends keyof EmulatorOptions>(key: K, value: EmulatorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  add('rejectRate', number('reject-rate', flags.rejectRate, 1));
  add('failRate', number('fail-rate', flags.failRate, 1));
  add('throttleRps', number('throttle', flags.throttle));
  add('resetRate', number('reset-rate', flags.resetRate, 1));
  add('latencyMs', number('latency', flags.latency));
  add('tokenTtlSeconds', number('token-ttl', flags.tokenTtl));
  add('seed', number('seed', flags.seed));
  const emulator = await startEmulator(options);
  process.stdout.write(
    `waspec emulator listening on ${emulator.url}\n\nexport WASPEC_BASE_URL=${emulator.url}\nexport WASPEC_APP_KEY=${flags.appKey}\nexport WASPEC_APP_SECRET=<the --app-secret value>\n\nCtrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  const stats = emulator.stats();
  process.stdout.write(
    `stopped: ${stats.requests} requests, ${stats.accepted} accepted, ${stats.rejected} rejected, ${stats.duplicates} duplicates\n`,
  );
  return EXIT.ok;
}
