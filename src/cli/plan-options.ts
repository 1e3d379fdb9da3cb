import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadConfig } from '../config/load-config.js';
import { isPlanFormat, PLAN_FORMATS, type PlanFormat } from '../report/plan-format.js';

/** Options shared by `plan` and `show` for printing a plan. */
export interface PlanOutputOptions {
  format: string;
  mask?: boolean;
  limit: string;
}

export function addPlanOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('pretty'))
    .option('--mask', 'mask phone numbers (417****6727) in every format')
    .option('--no-mask', 'show full phone numbers in markdown and html (masked there by default)')
    .option('--limit <n>', 'recipients listed per message before "and N more"', '10');
}

export function parseFormat(value: string): PlanFormat {
  if (!isPlanFormat(value)) throw new UsageError(`Unknown format ${value}.`, `Use one of: ${PLAN_FORMATS.join(', ')}.`);
  return value;
}

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--limit must be a whole number, not ${value}.`);
  return n;
}

/** --state wins; then the config (stateDir, WASPEC_STATE_DIR, default .waspec). A broken config is an error. */
export async function resolveStateDir(options: { state?: string; config?: string; profile?: string }): Promise<string> {
  if (options.state) return options.state;
  const config = await loadConfig({
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return config.stateDir;
}

export { printDiagnostics } from './print-diagnostics.js';
