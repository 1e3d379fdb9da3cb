import path from 'node:path';

/** The path as users see it: relative to cwd when inside it. */
export function displayFile(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
