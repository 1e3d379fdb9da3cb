import { escapeInvisibleInJson } from '../plan/plan-json.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import type { TableSuppression } from '../suppressions/types.js';
import { plural } from './plural.js';
import { revealOneLine } from './reveal-invisible.js';

export const SUPPRESSION_LIST_FORMATS = ['pretty', 'json', 'ndjson'] as const;
export type SuppressionListFormat = (typeof SUPPRESSION_LIST_FORMATS)[number];

/** The suppression table written row by row (a list of a million numbers is never held). */
export interface SuppressionListView {
  start(): string;
  row(row: TableSuppression): string;
  end(count: number, location: string): string;
}

/**
 * Rows are state, untrusted like a file (a row may have been written by hand): every field shown
 * escaped; in JSON, invisible characters as \u escapes, never raw on a terminal.
 */
export function suppressionListView(
  format: SuppressionListFormat,
  options: { mask: boolean },
): SuppressionListView {
  const shown = (row: TableSuppression): TableSuppression =>
    options.mask ? { ...row, phoneNumber: maskPhone(row.phoneNumber) } : row;
  const json = (row: TableSuppression) => escapeInvisibleInJson(JSON.stringify(shown(row)));
  switch (format) {
    case 'pretty':
      return {
        start: () => '',
        row: (raw) => {
          const r = shown(raw);
          return `${[revealOneLine(r.phoneNumber).padEnd(15), r.addedAt, revealOneLine(r.addedBy), revealOneLine(r.reason ?? '')].join('  ').trimEnd()}\n`;
        },
        end: (count, location) => `${plural(count, 'suppressed number')} in ${location}\n`,
      };
    case 'json': {
      let first = true;
      return {
        start: () => '[',
        row: (r) => {
          const text = `${first ? '\n' : ',\n'}  ${json(r)}`;
          first = false;
          return text;
        },
        end: () => `${first ? '' : '\n'}]\n`,
      };
    }
    case 'ndjson':
      return { start: () => '', row: (r) => `${json(r)}\n`, end: () => '' };
  }
}
