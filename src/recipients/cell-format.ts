import { format, isDateFormat } from 'numfmt';

/** Excel's built-in number formats that change how a value reads (ids of ECMA-376 18.8.30). */
const BUILT_IN: Readonly<Record<number, string>> = {
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  14: 'yyyy-mm-dd',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mm:ss.0',
};

/** The format code of a numFmtId: a custom one of the workbook, a built-in one, or none (General). */
export function formatCodeOf(id: number, custom: ReadonlyMap<number, string>): string | undefined {
  const code = custom.get(id) ?? BUILT_IN[id];
  return code === undefined || code.toLowerCase() === 'general' ? undefined : code;
}

/** The code without quoted text, escapes and [colour]/[$€-407] parts: what says date or time. */
const bare = (code: string) => code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');

/**
 * A number cell as people typed it: dates and times as ISO 8601 (2025-11-30, 14:30,
 * 2025-11-30 14:30), other formats (percent, currency, thousands) rendered as Excel shows them
 * (numfmt, a maintained implementation of Excel's format codes). Without a format: unchanged.
 */
export function formatCell(raw: string, code: string | undefined): string {
  if (code === undefined) return raw;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) return raw;
  try {
    if (isDateFormat(code)) {
      const b = bare(code.split(';')[0] ?? code).toLowerCase();
      const date = /[dy]/.test(b) || /m{3,}/.test(b);
      const time = /[hs]/.test(b);
      const seconds = /s/.test(b) ? ':ss' : '';
      // A duration ([h]:mm:ss, mm:ss) reads as written.
      if (/\[[hms]+\]/i.test(code) || (!date && !/h/.test(b))) return format(code, value);
      if (date && time) return format(`yyyy-mm-dd hh:mm${seconds}`, value);
      if (date) return format('yyyy-mm-dd', value);
      return format(`hh:mm${seconds}`, value);
    }
    return format(code, value);
  } catch {
    // A format numfmt cannot read: the stored value, as before.
    return raw;
  }
}
