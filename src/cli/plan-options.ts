import type { Command, OptionValues } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { stateTargetOf, type StateTarget } from '../state/state-target.js';
import {
  addFormatOption,
  addMaskOptions,
  maskOf,
  resolveConfig,
  type AnyArgs,
  type FlagsOf,
  type StateFlags,
} from './options.js';
import type { CatalogueRef } from '../catalogue/types.js';
import type { MediaCheck } from '../api/media-limits.js';
import { createMediaChecker } from '../transport/check-media.js';
import type { RecipientDefaults, SeedSource, SpecReadOptions } from '../message-spec/types.js';
import { catalogueOf, guardSettingsOf, type GuardSettings } from '../plan/plan-settings.js';
import { PLAN_FORMATS, type PlanFormat } from '../report/plan-format.js';
import { DEFAULT_MARKDOWN_BYTES } from '../report/plan-markdown.js';

/** The options `plan` and `show` print a plan with: --format, --mask/--no-mask, --limit, --max-bytes. */
const planOutputOptions = (command: Command) =>
  addMaskOptions(addFormatOption(command, PLAN_FORMATS))
    .option('--limit <n>', 'recipients listed per message before "and N more"', '10')
    .option(
      '--max-bytes <n>',
      `most bytes of --format markdown (default ${DEFAULT_MARKDOWN_BYTES}: one pull request comment); detail is left out, and said so, to fit`,
    );

/** The flags `planOutputOptions` defines, as parsed. */
export type PlanOutputFlags = FlagsOf<ReturnType<typeof planOutputOptions>>;

/**
 * Adds the plan output options to a command of any flags. (Typed through `PlanOutputFlags`: the
 * type inferred for four chained options on a generic command is too long for a declaration file.)
 */
export function addPlanOutputOptions<
  A extends AnyArgs,
  O extends OptionValues,
  G extends OptionValues,
>(command: Command<A, O, G>): Command<A, O & PlanOutputFlags, G> {
  planOutputOptions(command as unknown as Command);
  return command as unknown as Command<A, O & PlanOutputFlags, G>;
}

/** The smallest --max-bytes: the summary, one spec's headline and the last line fit in it. */
const MIN_MARKDOWN_BYTES = 2000;

/** --max-bytes N: only with --format markdown, at least MIN_MARKDOWN_BYTES. */
export function parseMaxBytes(value: string | undefined, format: PlanFormat): number | undefined {
  if (value === undefined) return undefined;
  if (format !== 'markdown') throw new UsageError('--max-bytes applies to --format markdown only.');
  const n = Number(value);
  if (!Number.isInteger(n) || n < MIN_MARKDOWN_BYTES)
    throw new UsageError(
      `--max-bytes must be a whole number of at least ${MIN_MARKDOWN_BYTES}, not ${value}.`,
    );
  return n;
}

/** Plans are masked by default where they get shared: markdown and html (see maskOf). */
export function planMask(flag: boolean | undefined, format: PlanFormat): boolean {
  return maskOf(flag, format === 'markdown' || format === 'html');
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--limit must be a whole number, not ${value}.`);
  return n;
}

/** What planning needs from the config: the state (directory or PostgreSQL), the audience policy, the batch size for specs that set none, where recipient files may come from. */
export async function resolvePlanSettings(
  options: StateFlags & { allowOutside?: string[] },
): Promise<{
  stateDir: string;
  target: StateTarget;
  guard: GuardSettings;
  defaultBatchSize: number;
  allowOutside: string[];
  recipientDefaults: RecipientDefaults;
  seed?: SeedSource;
  templates?: CatalogueRef;
}> {
  const config = await resolveConfig(options);
  return {
    stateDir: config.stateDir,
    target: stateTargetOf(config),
    guard: guardSettingsOf(config),
    defaultBatchSize: config.batchSize,
    allowOutside: config.allowOutside ?? [],
    ...catalogueOf(config),
    recipientDefaults: config.recipients ?? {},
    ...(config.seed ? { seed: config.seed } : {}),
  };
}

/** --allow-large N: a whole number of messages. */
export function parseAllowLarge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--allow-large must be a whole number of messages, not ${value}.`);
  return n;
}

/** --check-media and --allow-private-media, shared by validate and plan. */
export function addMediaOptions<A extends AnyArgs, O extends OptionValues, G extends OptionValues>(
  command: Command<A, O, G>,
) {
  return command
    .option(
      '--check-media',
      'fetch each distinct media URL once (HEAD) and check it answers 200 with a type and size the API takes (media.check: true in the config does it always)',
    )
    .option(
      '--allow-private-media',
      'let --check-media fetch private and loopback addresses (media.allowPrivate in the config)',
    );
}

/** The media checker the flags or the config ask for, if any. */
export async function mediaCheckOf(flags: {
  checkMedia?: boolean;
  allowPrivateMedia?: boolean;
  config?: string;
  profile?: string;
}): Promise<{ checkMedia?: MediaCheck }> {
  const config = await resolveConfig({
    ...(flags.config ? { config: flags.config } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
  });
  if (!(flags.checkMedia ?? config.media?.check)) return {};
  const allowPrivate = flags.allowPrivateMedia ?? config.media?.allowPrivate ?? false;
  return { checkMedia: createMediaChecker({ allowPrivate }) };
}

/** --allow-cost AMOUNT: a decimal in the rate card's currency, kept as written. */
export function parseAllowCost(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(value))
    throw new UsageError(
      `--allow-cost must be an amount in the rate card's currency such as 120.50, not ${value}.`,
    );
  return value;
}

export const ALLOW_COST_HELP =
  'approve a plan costing up to AMOUNT (rate card currency) above policy.budget (AMOUNT at least the estimate)';

export const ALLOW_LARGE_HELP =
  "approve sending N messages above a spec's maxRecipients or policy.maxMessagesPerApply (N at least the real number)";

/** How specs are read: where recipient files may come from besides the workspace (--allow-outside, allowOutside:) and the config's recipients: defaults. */
export async function resolveSpecReadOptions(options: {
  allowOutside?: string[];
  config?: string;
  profile?: string;
}): Promise<SpecReadOptions> {
  const { allowOutside, recipientDefaults, seed } = await resolvePlanSettings(options);
  return { allowOutside, recipientDefaults, ...(seed ? { seed } : {}) };
}

export { printDiagnostics } from './print-diagnostics.js';
