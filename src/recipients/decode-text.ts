import { TextDecoder } from 'node:util';

/** Encodings a CSV may be read in; a byte order mark overrides the one set. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes that are not text in the encoding read: where, counted in the text decoded before them. */
export class NotText extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    /** Whether the bytes look like UTF-16 without a byte order mark (NUL between letters). */
    readonly utf16: boolean,
  ) {
    super('not text in the expected encoding');
  }
}

/** The encoding a byte order mark names, or a BOM-less UTF-16 guessed from its NUL bytes. */
function sniff(head: Uint8Array): TextEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Text from byte chunks: a BOM says UTF-8 or UTF-16 (LE/BE) and is dropped; else `encoding`
 * (default UTF-8). UTF-8 is strict: bytes that are not UTF-8 (Windows-1252 text) throw NotText
 * rather than turning into replacement characters in messages. Node's TextDecoder does the work
 * (windows-1252 and utf-16 need no dependency), keeping a character split between chunks whole.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding = 'utf-8',
): AsyncIterable<string> {
  let decoder: TextDecoder | undefined;
  let line = 0;
  let column = 0;
  const advance = (text: string) => {
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      column += text.length;
      return;
    }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
    column = text.length - last - 1;
  };
  for await (const chunk of chunks) {
    if (!decoder) {
      const chosen = sniff(chunk) ?? encoding;
      decoder = new TextDecoder(chosen, { fatal: chosen === 'utf-8' });
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // Where: decoded again leniently up to the first replacement character.
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const bad = Math.max(0, lenient.indexOf('\uFFFD'));
      advance(lenient.slice(0, bad));
      const zeros = chunk.subarray(0, 64).filter((b) => b === 0).length;
      throw new NotText(line, column, zeros > 8);
    }
    advance(text);
    if (text.length > 0) yield text;
  }
  const rest = decoder?.decode() ?? '';
  if (rest.length > 0) yield rest;
}
