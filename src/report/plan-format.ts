import { UsageError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { formatPlanJson } from '../plan/plan-json.js';
import { formatPlanMarkdown } from './plan-markdown.js';
import { formatPlanPretty } from './plan-pretty.js';
import { renderPlanHtml } from './plan-html.js';

export const PLAN_FORMATS = ['pretty', 'json', 'markdown', 'html'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface FormatPlanOptions {
  format?: PlanFormat;
  color?: boolean;
  /** Mask phone numbers; undefined means the format's default (masked in markdown and html, pages that get shared). */
  mask?: boolean;
  /** Recipients listed per message (pretty, markdown). */
  limit?: number;
  /** Most UTF-8 bytes of the markdown (default 60,000: one pull request comment). */
  maxBytes?: number;
}

export function isPlanFormat(value: string): value is PlanFormat {
  return (PLAN_FORMATS as readonly string[]).includes(value);
}

/** The one entry point for printing a plan in any format. */
export function formatPlan(plan: Plan, options: FormatPlanOptions = {}): string {
  const format = options.format ?? 'pretty';
  const limit = options.limit ?? 10;
  switch (format) {
    case 'pretty':
      return formatPlanPretty(plan, {
        color: options.color ?? false,
        mask: options.mask ?? false,
        limit,
      });
    case 'json':
      return formatPlanJson(plan, { mask: options.mask ?? false });
    case 'markdown':
      return formatPlanMarkdown(plan, {
        mask: options.mask ?? true,
        limit,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      });
    case 'html':
      return renderPlanHtml(plan, { mask: options.mask ?? true });
    default:
      throw new UsageError(
        `Unknown format ${String(format)}.`,
        `Use one of: ${PLAN_FORMATS.join(', ')}.`,
      );
  }
}
