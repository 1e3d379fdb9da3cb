import path from 'node:path';

// The spec and recipient files this process opened because a user named them: the only files
// whose lines a code frame may show.
const named = new Set<string>();

export function registerInputFile(file: string): void {
  named.add(path.resolve(file));
}

export function isInputFile(file: string): boolean {
  return named.has(path.resolve(file));
}
