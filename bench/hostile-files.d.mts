export function writeSharedStringXlsx(
  dir: string,
  options?: { rows?: number; chars?: number },
): Promise<string>;
export function writeRepeatedRowsCsv(dir: string, options?: { rows?: number }): string;
export function writeUnclosedQuoteCsv(dir: string, options?: { rows?: number }): string;
export function writeDeepNdjson(dir: string, options?: { depth?: number; rows?: number }): string;
export function writeDeepJson(dir: string, options?: { depth?: number }): string;
export function writeDeepSpec(dir: string, options?: { depth?: number }): string;
