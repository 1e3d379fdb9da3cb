import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { openRegularFile } from '../files/open-regular-file.js';

/** sha256 hex of a file's bytes, streamed; undefined when it does not exist or is not a regular file. */
export async function hashFile(file: string): Promise<string | undefined> {
  const opened = await openRegularFile(file);
  if ('refusal' in opened) return undefined;
  const hash = createHash('sha256');
  try {
    for await (const chunk of opened.handle.createReadStream({ autoClose: false }))
      hash.update(chunk as Buffer);
  } finally {
    await opened.handle.close();
  }
  return hash.digest('hex');
}

/** A path as recorded in a plan: relative to cwd, with forward slashes. */
export function workspacePath(file: string, cwd = process.cwd()): string {
  return relative(cwd, resolve(cwd, file)).split('\\').join('/');
}

export const CONFIG_FILE = 'waspec.config.yaml';
