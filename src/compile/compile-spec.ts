import { makeDiagnostic, type DiagnosticSink } from '../diagnostics/diagnostic.js';
import { foldingSink } from '../diagnostics/fold.js';
import { mapSchemaError, parsePointer } from '../diagnostics/schema-error.js';
import { describePosition } from '../diagnostics/position.js';
import { resolveRecipientBatches } from '../recipients/resolve-recipients.js';
import { createRenderer } from '../render/render-message.js';
import { createUnresolvedSummary } from './unresolved-summary.js';
import {
  controlCharacterDiagnostic,
  someString,
  stringsOf,
} from '../message-spec/check-characters.js';
import { findInvisible, hasInvisible } from '../diagnostics/invisible-characters.js';
import type { SourcePosition, SpecDocument, Vars } from '../message-spec/types.js';
import { contentHashOf, seedMessageIdFor } from '../api/identity.js';
import { resolveSeeds, type Seed } from '../recipients/resolve-seeds.js';
import { normalizePhoneNumber } from '../recipients/phone.js';
import { quoteInput } from '../diagnostics/quote.js';
import type { CompiledMessage } from './types.js';
import { bodyTailOf } from './body-text.js';
import type { MessageContent } from '../api/types.js';
import { validateRequestBody } from '../api/validate-request.js';
import type { Catalogue } from '../catalogue/types.js';
import { createTemplateCheck } from './template-check.js';
import { maskPhone } from '../diagnostics/mask-phone.js';
import type { ExcludeSink } from '../recipients/types.js';
import { BULK_ID_LENGTH, ID_LENGTH, type PieceResult } from '../recipients/csv-piece.js';

/** Distinct contents remembered per spec; beyond it, old ones are re-validated if seen again. */
const CONTENT_CACHE = 1000;
function controlCharacters(
  content: MessageContent,
  inSpec: ReadonlySet<string>,
  /** Whose message it is: named in the diagnostic, worked out only when there is one. */
  recipient: { phoneNumber: string; origin: SourcePosition },
  allowed: boolean,
) {
  // Most contents have none: test each string before joining them and listing what they hold.
  if (!someString(content.whatsApp, hasInvisible)) return undefined;
  const text = stringsOf(content.whatsApp).join('\n');
  const { found } = findInvisible(text);
  if (found.every((escape) => inSpec.has(escape))) return undefined;
  const what = `the message for ${recipient.phoneNumber} (${describePosition(recipient.origin)})`;
  return controlCharacterDiagnostic(text, what, recipient.origin, allowed);
}

const PROBE_DESTINATION = [{ messageId: 'probe', to: { phoneNumber: '41793026727' } }];

/** One distinct content of a spec, shared by the messages that have it. */
interface SharedContent {
  /** Parsed from the key when first read (a pool worker gave the key alone). */
  content?: MessageContent;
  key: string;
  valid: boolean;
  hash?: string;
  /** The JSON of a request body of this content after its destinations. */
  tail?: string;
  /** A content of the whatsApp text alone (known without parsing the key). */
  plain?: boolean;
}

type VarsOf = (context: Vars) => Readonly<Record<string, string>>;

/** What a message reads of its content, shared with the messages that have it. */
abstract class OfContent {
  constructor(protected readonly shared: SharedContent) {}

  get content(): MessageContent {
    return contentOf(this.shared);
  }

  get contentKey(): string {
    return this.shared.key;
  }

  get contentHash(): string {
    return (this.shared.hash ??= contentHashOf(this.content));
  }

  get bodyTail(): string {
    return tailOf(this.shared);
  }
}

// compile and validate never read the hash or the vars, plan does: each is worked out on first read.
class Compiled extends OfContent implements CompiledMessage {
  private varsOf: VarsOf | undefined;
  private context: Vars | Readonly<Record<string, string>> | undefined;

  constructor(
    readonly spec: string,
    readonly revision: number,
    readonly messageId: string,
    readonly phoneNumber: string,
    shared: SharedContent,
    readonly origin: SourcePosition,
    /** With varsOf: what the message was rendered from; without: its vars. */
    context: Vars | Readonly<Record<string, string>> | undefined,
    varsOf: VarsOf | undefined,
    readonly seed?: true,
  ) {
    super(shared);
    this.context = context;
    this.varsOf = varsOf;
  }

  get vars(): Readonly<Record<string, string>> | undefined {
    if (this.varsOf !== undefined && this.context !== undefined) {
      this.context = this.varsOf(this.context);
      this.varsOf = undefined;
    }
    return this.context as Readonly<Record<string, string>> | undefined;
  }
}

const contentOf = (shared: SharedContent): MessageContent =>
  (shared.content ??= JSON.parse(shared.key) as MessageContent);

function tailOf(shared: SharedContent): string {
  if (shared.tail !== undefined) return shared.tail;
  if (shared.plain) return (shared.tail = `,${shared.key.slice(1)}`);
  const content = contentOf(shared);
  // The key is `{"whatsApp":…}` when the content has nothing else (its JSON, in the body's order).
  return (shared.tail ??=
    content.sendAt === undefined && content.scenarioKey === undefined
      ? `,${shared.key.slice(1)}`
      : bodyTailOf(content));
}

/** A piece's rows a pool worker compiled, as compile's messages read them. */
interface PooledPiece {
  spec: string;
  revision: number;
  result: PieceResult;
  /** result.ids and result.soloBulkIds, as Buffers. */
  ids: Buffer;
  soloBulkIds: Buffer;
  file: string;
  /** 0-based line of the piece's first row. */
  line: number;
}

/**
 * A message of a row a pool worker compiled: its piece and row, its strings made when read (a
 * group waiting for more recipients keeps the message, not its strings: few objects to copy).
 */
class Pooled extends OfContent implements CompiledMessage {
  constructor(
    private readonly piece: PooledPiece,
    private readonly row: number,
    shared: SharedContent,
  ) {
    super(shared);
  }

  /** Kept as it is by a waiting group (see group-requests.ts). */
  get compact(): true {
    return true;
  }

  get spec(): string {
    return this.piece.spec;
  }

  get revision(): number {
    return this.piece.revision;
  }

  get messageId(): string {
    const at = this.row * ID_LENGTH;
    return this.piece.ids.toString('latin1', at, at + ID_LENGTH);
  }

  get phoneNumber(): string {
    return String(this.piece.result.phones[this.row]);
  }

  /** The bulkId of a request to this message alone (the worker's). */
  get soloBulkId(): string {
    const at = this.row * BULK_ID_LENGTH;
    return this.piece.soloBulkIds.toString('latin1', at, at + BULK_ID_LENGTH);
  }

  get origin(): SourcePosition {
    const { file, line, result } = this.piece;
    const { row } = this;
    return {
      file,
      line: line + (result.lines[row] as number),
      column: result.columns[row] as number,
    };
  }
}

/**
 * Streams one compiled message per valid recipient: rendered, checked against
 * schemas/request.schema.json, with its deterministic messageId and content hash.
 * Problems go to `sink` with positions in the spec or recipient file.
 */
export async function* compileSpec(
  doc: SpecDocument,
  sink: DiagnosticSink,
  options: CompileOptions = {},
): AsyncIterable<CompiledMessage> {
  for await (const batch of compileSpecBatches(doc, sink, options)) yield* batch;
}

export interface CompileOptions {
  /**
   * The caller reads the messages' bodies, never their vars: a spec's large CSV files are then
   * compiled by a pool of workers (from `poolFromBytes`, default POOL_MIN_BYTES).
   */
  bodiesOnly?: boolean;
  poolFromBytes?: number;
  /** The approved templates: each template message is checked against its own (problems are diagnostics; messages still compile). */
  catalogue?: Catalogue;
  /** Where recipients left out by `invalid: hold` / `duplicates: first` go (else they are warnings). */
  exclude?: ExcludeSink;
}

/**
 * The checks of a spec with errors that do not depend on them (recipients, variables, the
 * approved template), in the same run: they report to `sink` and compile nothing.
 */
export async function checkFlawedSpecs(
  docs: readonly SpecDocument[],
  sink: DiagnosticSink,
  options: CompileOptions = {},
): Promise<void> {
  for (const doc of docs) await drain(compileSpecBatches(doc, sink, options));
}

/** Reads to the end for what is reported on the way. */
async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of items) {
    // Nothing is kept: the diagnostics went to the sink.
  }
}

/** compileSpec in batches: one await per batch rather than per message (large recipient files). */
export async function* compileSpecBatches(
  doc: SpecDocument,
  sink: DiagnosticSink,
  options: CompileOptions = {},
): AsyncIterable<CompiledMessage[]> {
  const { spec } = doc;
  const renderer = createRenderer(doc);
  // A flawed spec's template problems were reported when it was loaded.
  if (!doc.flawed) renderer.diagnostics.forEach(sink);
  const seeds = await resolveSeeds(doc, sink);
  const sample = createSampleFinder(doc, seeds);
  if (renderer.diagnostics.length > 0) {
    // The recipients do not depend on the message: their files, numbers and duplicates are still checked.
    await drain(resolveRecipientBatches(doc, sink, options.exclude));
    return;
  }

  // Rows that repeat one problem give its first few and a count, not one diagnostic each.
  const folding = foldingSink(
    sink,
    (code, n, file) =>
      `${n.toLocaleString('en-US')} more recipients of ${spec.name} have the problem '${code}'${file === undefined ? '' : ` in ${file}`} (not listed)`,
  );
  const report = folding.sink;
  const inSpec = new Set(findInvisible(stringsOf([spec.whatsApp, spec.vars]).join('\n')).found);
  // Validated contents; cleared when full (personalised messages never repeat, shared ones refill it).
  const cache = new Map<string, SharedContent>();
  let recipients = 0;
  const unresolved = createUnresolvedSummary(Object.keys(spec.vars ?? {}));
  const checkTemplate =
    options.catalogue && (doc.flawed?.templates ?? true)
      ? createTemplateCheck(doc, options.catalogue, sink, report)
      : undefined;

  // The pool's rows are the main thread's only while no template blew its budget (see templates.ts).
  let blown = false;
  const plain = spec.sendAt === undefined && spec.scenarioKey === undefined;
  const pool =
    options.bodiesOnly && !doc.flawed && !sample && !checkTemplate
      ? (await import('./compile-pool.js')).createPiecePool(
          {
            spec: {
              name: spec.name,
              revision: spec.revision,
              whatsApp: spec.whatsApp,
              ...(spec.vars === undefined ? {} : { vars: spec.vars }),
              ...(spec.sendAt === undefined ? {} : { sendAt: spec.sendAt }),
              ...(spec.scenarioKey === undefined ? {} : { scenarioKey: spec.scenarioKey }),
              ...(spec.allowControlCharacters === undefined
                ? {}
                : { allowControlCharacters: spec.allowControlCharacters }),
            },
            inSpec: [...inSpec],
            written: JSON.stringify([spec.whatsApp, spec.vars ?? {}]),
          },
          () => !blown,
          options.poolFromBytes,
        )
      : undefined;
  const batches = pool
    ? resolveRecipientBatches(doc, report, options.exclude, pool)
    : resolveRecipientBatches(doc, report, options.exclude);
  for await (const batch of batches) {
    const out: CompiledMessage[] = [];
    if (!Array.isArray(batch)) {
      // Rows a worker compiled: every content valid; the cache counts them as it counts the rest.
      const { result, kept, file, line } = batch;
      const asBuffer = (bytes: Uint8Array) =>
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const piece: PooledPiece = {
        spec: spec.name,
        revision: spec.revision,
        result,
        ids: asBuffer(result.ids),
        soloBulkIds: asBuffer(result.soloBulkIds),
        file,
        line,
      };
      const keys = result.keys.split('\n');
      for (const i of kept) {
        recipients++;
        const key = keys[i] as string;
        let known = cache.get(key);
        if (!known) {
          known = { key, valid: true, plain };
          if (cache.size >= CONTENT_CACHE) cache.clear();
          cache.set(key, known);
        }
        if (!known.valid) continue;
        out.push(new Pooled(piece, i, known));
      }
      if (out.length > 0) yield out;
      continue;
    }
    for (const recipient of batch) {
      recipients++;
      const rendered = renderer.render(recipient);
      const empty = rendered.empty?.[0];
      // invalid: hold: a recipient whose only problem is an empty value is left out, not an error.
      if (
        empty &&
        recipient.hold &&
        rendered.unresolved?.length === 0 &&
        rendered.diagnostics.every((d) => d.code === 'variable-empty')
      ) {
        recipient.hold({
          spec: spec.name,
          file: empty.at.file,
          line: empty.at.line,
          column: empty.at.column,
          ...(empty.at.cell === undefined ? {} : { cell: empty.at.cell }),
          phone: maskPhone(recipient.phoneNumber),
          code: 'variable-empty',
          reason: `the variable '${empty.name}' is empty`,
        });
        continue;
      }
      if (!rendered.whatsApp) {
        if (rendered.diagnostics.some((d) => d.code === 'render-limit')) blown = true;
        rendered.diagnostics.forEach(report);
        if (rendered.unresolved) unresolved.add(rendered.unresolved, recipient);
        continue;
      }
      // A flawed spec is never sent: its variables are checked, its requests are not built.
      if (doc.flawed) continue;
      const content: MessageContent = { whatsApp: rendered.whatsApp };
      if (spec.sendAt !== undefined) content.sendAt = spec.sendAt;
      if (spec.scenarioKey !== undefined) content.scenarioKey = spec.scenarioKey;
      // The renderer builds keys in the spec's order, so equal content has equal JSON within a spec.
      const contentKey = JSON.stringify(content);
      let known = cache.get(contentKey);
      if (!known) {
        // The keys in the order `{ bulkId, destinations, ...content }` gives, without a spread.
        const probe: Record<string, unknown> = {
          bulkId: 'probe',
          destinations: PROBE_DESTINATION,
          whatsApp: content.whatsApp,
        };
        if (content.sendAt !== undefined) probe.sendAt = content.sendAt;
        if (content.scenarioKey !== undefined) probe.scenarioKey = content.scenarioKey;
        const errors = validateRequestBody(probe);
        for (const error of errors) {
          const mapped = mapSchemaError(error);
          if (!mapped) continue;
          const origin = `${recipient.phoneNumber} (${describePosition(recipient.origin)})`;
          report(
            makeDiagnostic(
              mapped.code === 'schema-invalid' ? 'request-invalid' : mapped.code,
              `${mapped.message} in the message for ${origin}`,
              doc.locate(parsePointer(error.instancePath)),
            ),
          );
        }
        // Control characters the spec itself has were reported by loadSpec; these came from a recipient's vars.
        const fromVars = controlCharacters(
          content,
          inSpec,
          recipient,
          spec.allowControlCharacters === true,
        );
        if (fromVars) report(fromVars);
        checkTemplate?.(content.whatsApp, recipient);
        known = {
          content,
          key: contentKey,
          valid: errors.length === 0 && fromVars?.severity !== 'error',
        };
        if (cache.size >= CONTENT_CACHE) cache.clear();
        cache.set(contentKey, known);
      }
      if (!known.valid) continue;
      const compiled = new Compiled(
        spec.name,
        spec.revision,
        recipient.messageId,
        recipient.phoneNumber,
        known,
        recipient.origin,
        rendered.context,
        renderer.varsOf,
      );
      sample?.offer(compiled, known);
      out.push(compiled);
    }
    if (out.length > 0) yield out;
  }
  const seedMessages = sample?.finish(sink) ?? [];
  if (seedMessages.length > 0) yield seedMessages;
  unresolved.diagnostics().forEach(sink);
  folding.flush();
  if (recipients === 0 && !doc.flawed) {
    sink(
      makeDiagnostic(
        'recipients-empty',
        `${spec.name} has no valid recipients`,
        doc.locate(['recipients']),
        { severity: 'warning' },
      ),
    );
  }
}

/**
 * Picks the spec's sample recipient (seed.sampleFrom, else the first) as its messages go by, and
 * makes the seeds' messages of its content at the end; a seed that is also a recipient is a warning.
 */
function createSampleFinder(doc: SpecDocument, seeds: readonly Seed[]) {
  const source = doc.seed;
  if (!source || seeds.length === 0 || doc.flawed) return undefined;
  const wanted = source.sampleFrom;
  const country = (source.defaultCountry ?? doc.recipientDefaults?.defaultCountry)?.toUpperCase();
  const id =
    wanted !== undefined && UUID.test(wanted.trim()) ? wanted.trim().toLowerCase() : undefined;
  const phone =
    wanted === undefined || id !== undefined ? undefined : normalizePhoneNumber(wanted, country);
  const byNumber = new Map(seeds.map((s) => [s.phoneNumber, s]));
  const alsoRecipient: Seed[] = [];
  let found: { message: Compiled; shared: SharedContent } | undefined;
  return {
    offer(message: Compiled, shared: SharedContent): void {
      const seed = byNumber.get(message.phoneNumber);
      if (seed) alsoRecipient.push(seed);
      if (found) return;
      if (wanted === undefined || message.messageId === id || message.phoneNumber === phone)
        found = { message, shared };
    },
    finish(sink: DiagnosticSink): CompiledMessage[] {
      for (const seed of alsoRecipient)
        sink(
          makeDiagnostic(
            'seed-also-recipient',
            `the seed ${seed.phoneNumber} is also a recipient of ${doc.spec.name}: it gets the test message and the real one`,
            seed.origin,
            {
              severity: 'warning',
              hint: 'seeds are internal phones; remove it from one of the lists',
            },
          ),
        );
      if (!found) {
        if (wanted !== undefined)
          sink(
            makeDiagnostic(
              'seed-sample-not-found',
              id === undefined && phone === undefined
                ? `seed.sampleFrom '${quoteInput(wanted)}' is neither a phone number nor a messageId`
                : `seed.sampleFrom '${quoteInput(wanted)}' names no recipient of ${doc.spec.name} whose message compiles`,
              source.locate(['sampleFrom']),
              {
                hint: "name one of the spec's recipients by phone number or messageId, or leave sampleFrom out to use the first",
              },
            ),
          );
        return [];
      }
      const { message, shared } = found;
      const seedShared: SharedContent = {
        content: shared.content,
        // Seeds share requests only with each other: never with the recipients they go before.
        key: `seed\u0000${shared.key}`,
        valid: true,
        hash: message.contentHash,
      };
      return seeds.map(
        (seed) =>
          new Compiled(
            doc.spec.name,
            doc.spec.revision,
            seedMessageIdFor(
              doc.spec.name,
              doc.spec.revision,
              message.contentHash,
              seed.phoneNumber,
            ),
            seed.phoneNumber,
            seedShared,
            seed.origin,
            message.vars,
            undefined,
            true,
          ),
      );
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
