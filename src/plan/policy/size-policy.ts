export type SizeDecision = { kind: 'ok' } | { kind: 'too-large'; message: string; hint: string };

/**
 * Whether `actual` messages may be sent under `limit`. Above it only an explicit approval of at
 * least that size (--allow-large N) lets it through, so a reviewer approves a number, not "anything".
 */
export function decideSize(
  what: string,
  actual: number,
  limit: number | undefined,
  allowLarge: number | undefined,
): SizeDecision {
  const n = (x: number) => x.toLocaleString('en-US');
  // No limit, or within it.
  if (limit === undefined || actual <= limit) return { kind: 'ok' };
  // Approved for at least this many.
  if (allowLarge !== undefined && allowLarge >= actual) return { kind: 'ok' };
  const hint = `if ${n(actual)} is intended, approve that size: --allow-large ${actual}`;
  // Approved, but for fewer than the plan has.
  if (allowLarge !== undefined)
    return {
      kind: 'too-large',
      message: `${what} ${n(actual)} messages, more than --allow-large ${n(allowLarge)} approves (limit ${n(limit)})`,
      hint,
    };
  return {
    kind: 'too-large',
    message: `${what} ${n(actual)} messages, over its limit of ${n(limit)}`,
    hint,
  };
}
