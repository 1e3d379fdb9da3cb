/** Lists and mappings nested deeper than this in a spec or a recipient's vars are refused. */
export const MAX_NESTING = 32;

interface Step {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Step | undefined;
}

/**
 * The path (keys from the root) of the first list or mapping nested deeper than `limit`, or
 * undefined. Walks with a stack of its own, so a value nested thousands deep cannot overflow the
 * call stack; each object is visited once, so a cycle ends the walk too.
 */
export function tooDeep(value: unknown, limit = MAX_NESTING): Array<string | number> | undefined {
  const seen = new Set<object>();
  const stack: Step[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const current = step.value;
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (step.depth >= limit) {
      const path: Array<string | number> = [];
      for (let s: Step | undefined = step; s?.key !== undefined; s = s.parent) path.unshift(s.key);
      return path;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((v, i) => [i, v])
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, v] = entries[i] as [string | number, unknown];
      if (v !== null && typeof v === 'object')
        stack.push({ value: v, depth: step.depth + 1, key, parent: step });
    }
  }
  return undefined;
}
