import { bulkIdFor, messageIdFor } from '../api/identity.js';
import { validateRequestBody } from '../api/validate-request.js';
import { findInvisible, hasInvisible } from '../diagnostics/invisible-characters.js';
import { someString, stringsOf } from '../message-spec/check-characters.js';
import type { Spec, SpecDocument, Vars } from '../message-spec/types.js';
import { varsHash } from '../recipients/duplicates.js';
import { normalizePhoneNumber } from '../recipients/phone.js';
import { MAX_VALUE_CHARS } from '../recipients/limits.js';
import { createRenderer, type MessageRenderer } from '../render/render-message.js';
import { BULK_ID_LENGTH, ID_LENGTH, type PieceResult } from '../recipients/csv-piece.js';

export type { PieceResult };

/**
 * What a pool worker needs to compile the rows of one CSV file of one spec: the spec's message and
 * the file's columns. Plain data: it is posted to the worker once.
 */
export interface PieceContext {
  spec: Pick<
    Spec,
    'name' | 'revision' | 'whatsApp' | 'vars' | 'sendAt' | 'scenarioKey' | 'allowControlCharacters'
  >;
  /** The control characters the spec itself holds (reported when it was loaded). */
  inSpec: string[];
  /** The spec's message and vars as JSON: a long value it does not name is dropped. */
  written: string;
  delimiter: string;
  /** Fields per row (the header's). */
  fields: number;
  phoneColumn: number;
  /** Variable name and field index of each other column. */
  vars: Array<[name: string, index: number]>;
  /** A column is named __proto__: vars without a prototype. */
  bare: boolean;
  defaultCountry?: string;
}

/** The column of field `index`'s value (past leading spaces) in a row without quotes. */
function columnOf(
  row: string,
  fields: readonly string[],
  delimiter: string,
  index: number,
): number {
  let at = 0;
  for (let f = 0; f < index; f++) at += (fields[f] as string).length + delimiter.length;
  while (row.charCodeAt(at) === 0x20) at++;
  return at;
}

/** Never located: a row with any problem is not compiled here but on the main thread. */
const NOWHERE = { file: '', line: 0, column: 0 };

export interface PieceCompiler {
  /** The piece's rows, or undefined when any row has a problem (the main thread redoes it). */
  compile(text: string): PieceResult | undefined;
}

/**
 * Contents already checked, per compiler: shared messages repeat, a personalised one never does
 * (few, so that those are not kept long enough to be promoted out of the young generation).
 */
const CHECKED = 64;

export function createPieceCompiler(context: PieceContext): PieceCompiler {
  const { spec, delimiter, phoneColumn, bare, defaultCountry } = context;
  const doc = {
    spec: { ...spec, recipients: [] },
    file: '',
    absolutePath: '',
    digest: '',
    locate: () => NOWHERE,
    sourceOf: () => undefined,
  } as SpecDocument;
  const renderer: MessageRenderer = createRenderer(doc);
  const inSpec = new Set(context.inSpec);
  const named = new Map<string, boolean>();
  const checked = new Set<string>();
  const valid = (key: string, whatsApp: unknown): boolean => {
    if (checked.has(key)) return true;
    const probe: Record<string, unknown> = {
      bulkId: 'probe',
      destinations: [{ messageId: 'probe', to: { phoneNumber: '41793026727' } }],
      whatsApp,
    };
    if (spec.sendAt !== undefined) probe.sendAt = spec.sendAt;
    if (spec.scenarioKey !== undefined) probe.scenarioKey = spec.scenarioKey;
    if (validateRequestBody(probe).length > 0) return false;
    // Control characters from a recipient's vars are reported by the main thread.
    if (
      someString(whatsApp, hasInvisible) &&
      !findInvisible(stringsOf(whatsApp).join('\n')).found.every((c) => inSpec.has(c))
    )
      return false;
    if (checked.size >= CHECKED) checked.clear();
    checked.add(key);
    return true;
  };
  return {
    compile(text) {
      if (renderer.diagnostics.length > 0) return undefined;
      // Without quotes a row is a line and a field what lies between delimiters: papaparse splits
      // such text so too (its fast mode), but makes objects per row that outlive a scavenge.
      const rows = text.split('\n');
      rows.pop(); // after the last line break
      const lines = new Int32Array(rows.length);
      const columns = new Int32Array(rows.length);
      const hashes = new Uint32Array(rows.length);
      const phones = new Float64Array(rows.length);
      const ids = Buffer.alloc(rows.length * ID_LENGTH);
      const soloBulkIds = Buffer.alloc(rows.length * BULK_ID_LENGTH);
      const keys: string[] = [];
      let count = 0;
      for (let r = 0; r < rows.length; r++) {
        const fields = (rows[r] as string).split(delimiter);
        if (fields.length === 1 && (fields[0] as string).trim() === '') continue;
        if (fields.length !== context.fields) return undefined;
        const vars: Vars = bare ? (Object.create(null) as Vars) : {};
        for (const [name, index] of context.vars) vars[name] = (fields[index] as string).trim();
        const phoneNumber = normalizePhoneNumber(
          (fields[phoneColumn] as string).trim(),
          defaultCountry,
        );
        if (phoneNumber === undefined) return undefined;
        // As resolveRecipientBatches does: a long value the message never names is dropped.
        for (const name in vars) {
          // A CSV's values are text: only a long one is too long (a long name alone is not).
          if ((vars[name] as string).length <= MAX_VALUE_CHARS) continue;
          let mentioned = named.get(name);
          if (mentioned === undefined)
            named.set(name, (mentioned = context.written.includes(name)));
          if (mentioned) return undefined;
          Reflect.deleteProperty(vars, name);
        }
        const messageId = messageIdFor(spec.name, spec.revision, phoneNumber);
        const rendered = renderer.render({ phoneNumber, messageId, vars, origin: NOWHERE });
        if (!rendered.whatsApp) return undefined;
        const content: Record<string, unknown> = { whatsApp: rendered.whatsApp };
        if (spec.sendAt !== undefined) content.sendAt = spec.sendAt;
        if (spec.scenarioKey !== undefined) content.scenarioKey = spec.scenarioKey;
        const key = JSON.stringify(content);
        if (!valid(key, rendered.whatsApp)) return undefined;
        lines[count] = r;
        columns[count] = columnOf(rows[r] as string, fields, delimiter, phoneColumn);
        hashes[count] = varsHash(vars);
        phones[count] = Number(phoneNumber);
        ids.write(messageId, count * ID_LENGTH, 'latin1');
        soloBulkIds.write(bulkIdFor([messageId]), count * BULK_ID_LENGTH, 'latin1');
        keys.push(key);
        count++;
      }
      return {
        count,
        lines: lines.slice(0, count),
        columns: columns.slice(0, count),
        hashes: hashes.slice(0, count),
        phones: phones.slice(0, count),
        ids: ids.subarray(0, count * ID_LENGTH),
        soloBulkIds: soloBulkIds.subarray(0, count * BULK_ID_LENGTH),
        keys: keys.join('\n'),
      };
    },
  };
}
