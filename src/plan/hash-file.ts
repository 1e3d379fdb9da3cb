import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { relative, resolve } from 'node:path';

/** sha256 hex of a file's bytes, streamed; undefined when it does not exist. */
export async function hashFile(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR')) return undefined;
    throw error;
  }
  return hash.digest('hex');
}

/** A path as recorded in a plan: relative to cwd, with forward slashes. */
export function workspacePath(file: string, cwd = process.cwd()): string {
  return relative(cwd, resolve(cwd, file)).split('\\').join('/');
}

export const CONFIG_FILE = 'waspec.config.yaml';
