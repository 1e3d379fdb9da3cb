import { Option, type Command } from '@commander-js/extra-typings';
import { SavedPlanChangedError, type PlanOptions } from '../apply/apply-inputs.js';
import { runApply as applyOperation, type ApplyOptions } from '../apply/run-apply.js';
import {
  DEFAULT_BATCH_SIZE,
  requireSendConfig,
  type ResolvedConfig,
} from '../config/load-config.js';
import { StalePlanError, UsageError, EXIT, type ExitCode } from '../errors.js';
import { catalogueOf, guardSettingsOf } from '../plan/plan-settings.js';
import { describeStalePlan } from '../report/plan-changes.js';
import { applyView } from './apply-view.js';
import {
  ALLOW_COST_HELP,
  ALLOW_LARGE_HELP,
  parseAllowCost,
  parseAllowLarge,
} from './plan-options.js';
import { action } from './run.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addFormatOption,
  addMaskOptions,
  addStateOptions,
  maskOf,
  resolveConfig,
  type FlagsOf,
} from './options.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a positive number, not '${value}'`);
  return n;
}

const APPLY_HELP = [
  '',
  'Examples:',
  '  waspec plan --out plan.json && waspec apply plan.json   review, then send exactly that',
  '  waspec apply --yes specs/                               plan afresh and send (CI)',
  '  waspec apply --yes --rate-limit 5 --concurrency 2       gentler on the API',
  '  waspec apply --yes --workers 4                          4 processes share the apply (PostgreSQL state;',
  '                                                          run it on more machines to join)',
  '',
  '--format json: the final summary as JSON on stdout (the plan goes to stderr).',
  '',
  'Exit codes: 0 every message accepted (or nothing to send), 1 error (nothing sent, or stopped),',
  '3 some message rejected, failed or in doubt, 4 the connection to a PostgreSQL state was lost',
  '(no more requests sent; those in flight are in doubt), 5 the circuit breaker stopped the apply (too many',
  'rejected or failed; nothing unsent is in doubt) or holds it after a trip (give --resume), 130 interrupted',
  '(Ctrl-C or SIGTERM: in-flight requests finish and are recorded; a second one quits at once, leaving them in doubt).',
  '',
  'Environment: WASPEC_BASE_URL, WASPEC_APP_KEY, and WASPEC_TOKEN or WASPEC_APP_SECRET;',
  'WASPEC_STATE_URL and PGPASSWORD for a PostgreSQL state, WASPEC_WORKSPACE.',
].join('\n');

/** `apply` and its flags, in --help order. */
function applyCommand(program: Command) {
  const command = addStateOptions(
    program
      .command('apply')
      .summary('send what the plan says, exactly once')
      .description(
        'Sends the messages a plan has to send, in batches, and records every outcome in the state. ' +
          'Give a saved plan (waspec plan --out plan.json) to apply exactly that plan (refused if stale), ' +
          'or spec paths to plan afresh. Safe to re-run: what was accepted is never sent again.',
      )
      .argument(
        '[plan-or-paths...]',
        'a saved plan (.json) or spec files/folders (default: specs/)',
      )
      .option(
        '-y, --yes',
        'do not ask for confirmation (needed without a terminal unless a saved plan is given)',
      ),
  )
    .option('--concurrency <n>', 'requests in flight (default 4)')
    .option('--rate-limit <rps>', 'requests per second at most')
    .option(
      '--batch-size <n>',
      `destinations per request for specs that set no batchSize (default: the config's, or ${DEFAULT_BATCH_SIZE})`,
    )
    .option('--retry-rejected', 'send again messages the API rejected')
    .option(
      '--resend-in-doubt',
      'send again messages without a recorded answer (may send them twice)',
    )
    .option('--target <spec>', 'apply only this spec (repeatable)', collect, [])
    .option(
      '--workers <n>',
      'share the apply with N processes on this machine, and with workers started on other machines against the same PostgreSQL workspace and specs',
    )
    .addOption(new Option('--worker-of <run>').hideHelp())
    .option(
      '--force-unlock',
      "take over the file state's lock of a process that no longer runs (a PostgreSQL lock needs none)",
    )
    .option(
      '--ignore-breaker',
      'send with no circuit breaker (policy.breaker), and go on after the last apply tripped it',
    )
    .option(
      '--resume',
      "go on after the last apply's circuit breaker tripped (the breaker stays on)",
    )
    .option(
      '--seed-only',
      "send only the seeds' test messages (seed: in the spec or the config), then stop: check them on the seed phones; a later apply sends the rest",
    )
    .option('--allow-large <n>', ALLOW_LARGE_HELP)
    .option('--allow-cost <amount>', ALLOW_COST_HELP);
  return addFormatOption(addMaskOptions(addAllowOutsideOption(addConfigOptions(command))), [
    'pretty',
    'json',
  ]);
}

export type ApplyFlags = FlagsOf<ReturnType<typeof applyCommand>>;

export function defineApplyCommand(program: Command): void {
  applyCommand(program)
    .addHelpText('after', APPLY_HELP)
    .action(action((args, flags) => runApply(args, flags)));
}

export async function configFor(flags: ApplyFlags): Promise<ResolvedConfig> {
  const overrides: Partial<ResolvedConfig> = {};
  const concurrency = positive('concurrency', flags.concurrency);
  const rateLimit = positive('rate-limit', flags.rateLimit);
  const batchSize = positive('batch-size', flags.batchSize);
  if (concurrency !== undefined) overrides.concurrency = concurrency;
  if (rateLimit !== undefined) overrides.rateLimit = rateLimit;
  if (batchSize !== undefined) overrides.batchSize = batchSize;
  return resolveConfig(flags, overrides);
}

/** The number of worker processes to start here; undefined without --workers. */
function workerCount(flags: ApplyFlags): number | undefined {
  if (flags.workerOf !== undefined) return EXIT.error;
  if (flags.workers === undefined) return undefined;
  const n = Number(flags.workers);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--workers must be a whole number from 1 to 64, not '${flags.workers}'`);
  return n;
}

/** A saved plan already fixed what to send: options that change the plan would be silently ignored. */
function refusePlanningFlags(flags: ApplyFlags): void {
  const given = [
    flags.target.length > 0 && '--target',
    flags.retryRejected && '--retry-rejected',
    flags.resendInDoubt && '--resend-in-doubt',
    flags.batchSize !== undefined && '--batch-size',
    flags.allowLarge !== undefined && '--allow-large',
    flags.allowCost !== undefined && '--allow-cost',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (given.length > 0) {
    throw new UsageError(
      `${given.join(', ')} cannot change a saved plan`,
      'give them to `waspec plan --out` (batchSize: in the spec or the config), or apply spec paths instead of a plan file',
    );
  }
}

async function runApply(args: string[], flags: ApplyFlags): Promise<ExitCode> {
  const planFile = args.length === 1 && args[0]?.endsWith('.json') ? args[0] : undefined;
  const interactive = Boolean(process.stdin.isTTY) && !process.env.CI;
  const workers = workerCount(flags);
  if (!planFile && !flags.yes && (!interactive || workers !== undefined)) {
    const why =
      workers === undefined
        ? 'when it cannot ask (no terminal)'
        : 'with --workers (workers do not ask)';
    throw new UsageError(
      `apply needs --yes or a saved plan ${why}`,
      'review with `waspec plan --out plan.json`, then run `waspec apply plan.json`',
    );
  }
  if (planFile) refusePlanningFlags(flags);
  const config = requireSendConfig(await configFor(flags));
  const options: ApplyOptions = {
    ...(planFile ? { planFile } : {}),
    planOptions: planOptionsOf(args, flags, config),
    ask: !planFile && !flags.yes,
    forceUnlock: flags.forceUnlock ?? false,
    ...(flags.ignoreBreaker ? { ignoreBreaker: true } : {}),
    ...(flags.resume ? { resume: true } : {}),
    ...(flags.seedOnly ? { seedOnly: true } : {}),
    ...(workers === undefined ? {} : { workers }),
    ...(flags.workerOf === undefined ? {} : { workerOf: flags.workerOf }),
    workerArgv: (runId) => workerArgv(flags, runId),
  };
  try {
    return await applyOperation(
      options,
      config,
      applyView(flags.format, maskOf(flags.mask, false)),
    );
  } catch (error) {
    if (!(error instanceof SavedPlanChangedError)) throw error;
    const { message, hint } = describeStalePlan(error.planFile, error.changes);
    throw new StalePlanError(message, hint);
  }
}

/** What apply plans from its spec paths and flags. */
function planOptionsOf(args: string[], flags: ApplyFlags, config: ResolvedConfig): PlanOptions {
  const allowLarge = parseAllowLarge(flags.allowLarge);
  const allowCost = parseAllowCost(flags.allowCost);
  return {
    paths: args,
    retryRejected: flags.retryRejected ?? false,
    resendInDoubt: flags.resendInDoubt ?? false,
    targets: flags.target,
    defaultBatchSize: config.batchSize,
    ...guardSettingsOf(config),
    ...catalogueOf(config),
    ...(allowLarge === undefined ? {} : { allowLarge }),
    ...(allowCost === undefined ? {} : { allowCost }),
    allowOutside: config.allowOutside ?? [],
    recipientDefaults: config.recipients ?? {},
    ...(config.seed ? { seed: config.seed } : {}),
  };
}

/** The command line of a worker started beside this one: this apply joining `runId`. */
function workerArgv(flags: ApplyFlags, runId: string): string[] {
  const pass = (name: string, value: string | undefined) =>
    value === undefined ? [] : [`--${name}`, value];
  return [
    ...process.execArgv,
    process.argv[1] ?? '',
    'apply',
    '--yes',
    '--worker-of',
    runId,
    ...pass('state', flags.state),
    ...pass('workspace', flags.workspace),
    ...pass('config', flags.config),
    ...pass('profile', flags.profile),
    ...pass('concurrency', flags.concurrency),
    ...(flags.ignoreBreaker ? ['--ignore-breaker'] : []),
  ];
}
