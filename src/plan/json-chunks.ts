import { escapeInvisibleInJson } from './plan-json.js';

/** A member written item by item: an array's items, or an object's [key, value] pairs. */
export type Streamed =
  | { stream: 'array'; items: Iterable<unknown> }
  | { stream: 'object'; members: Iterable<readonly [string, unknown]> };

/** One top-level member: a value written whole, or a streamed one. */
export type TopMember = readonly [string, unknown];

function isStreamed(value: unknown): value is Streamed {
  return (
    value !== null &&
    typeof value === 'object' &&
    'stream' in value &&
    (value.stream === 'array' || value.stream === 'object')
  );
}

/** JSON.stringify(value, null, 2) indented to `depth` levels, invisible characters escaped. */
function nested(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) return undefined;
  const pad = '  '.repeat(depth);
  return escapeInvisibleInJson(depth === 0 ? text : text.replaceAll('\n', `\n${pad}`));
}

/**
 * The text JSON.stringify(object, null, 2) gives for an object of these members, in pieces: a
 * streamed member yields each of its items on its own, so no piece holds more than one item (a
 * plan of millions of entries or contents is more text than one string may hold).
 */
export function* jsonChunks(members: Iterable<TopMember>): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, value] of members) {
    // What JSON.stringify leaves out (undefined, a function, a toJSON giving undefined) is left out.
    const whole = isStreamed(value) ? undefined : nested(value, 1);
    if (!isStreamed(value) && whole === undefined) continue;
    yield `${first ? '' : ','}\n  ${escapeInvisibleInJson(JSON.stringify(key))}: `;
    first = false;
    if (!isStreamed(value)) {
      yield whole ?? 'null';
      continue;
    }
    const [open, close] = value.stream === 'array' ? ['[', ']'] : ['{', '}'];
    let empty = true;
    if (value.stream === 'array')
      for (const item of value.items) {
        yield `${empty ? open : ','}\n    ${nested(item, 2) ?? 'null'}`;
        empty = false;
      }
    else
      for (const [name, item] of value.members) {
        const text = nested(item, 2);
        if (text === undefined) continue;
        yield `${empty ? open : ','}\n    ${escapeInvisibleInJson(JSON.stringify(name))}: ${text}`;
        empty = false;
      }
    yield empty ? `${open}${close}` : `\n  ${close}`;
  }
  yield first ? '}\n' : '\n}\n';
}
