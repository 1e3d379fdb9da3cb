import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CsvLayout, CsvPiece } from '../recipients/csv-piece.js';
import { createModuleWorker } from '../recipients/phone-pool.js';
import type { PiecePool } from '../recipients/resolve-recipients.js';
import type { PieceContext, PieceResult } from './compile-piece.js';

/**
 * CSV files from this size on (some 500,000 rows) are compiled by the pool. Each worker loads
 * libphonenumber's metadata, Handlebars and the request schema, and compiles its hot code: on the
 * shared 2-core machine the pool took as much CPU as main's build at 1,000,000 rows and a quarter
 * less wall, but 12% more CPU at 200,000 for no less wall
 * (bench/README.md, the round of 2026-12-07 afternoon).
 */
export const POOL_MIN_BYTES = 16 << 20;

/** Each worker's young generation, in MiB. */
const YOUNG_MB = 8;

/** Workers at most: the main thread keeps the duplicate check, the grouping and the writing. */
const MAX_WORKERS = 4;

interface Slot {
  worker: Worker;
  waiting: Map<number, (result: PieceResult | undefined) => void>;
  /** Contexts the worker was sent. */
  contexts: Set<number>;
}

let slots: Slot[] | undefined;
let compiled = 0;
let nextTask = 0;
let nextContext = 0;

/** A worker that fails is dropped: what it had not answered, and anything when none is left, is done in-thread. */
function drop(slot: Slot): void {
  slots = slots?.filter((s) => s !== slot);
  for (const resolve of slot.waiting.values()) resolve(undefined);
  slot.waiting.clear();
  void slot.worker.terminate();
}

function start(): Slot[] {
  if (slots) return slots;
  slots = [];
  const count = Math.max(1, Math.min(MAX_WORKERS, availableParallelism()));
  for (let i = 0; i < count; i++) {
    let worker: Worker | undefined;
    try {
      worker = createModuleWorker(
        new URL('./compile-worker.js', import.meta.url),
        new URL('./compile-worker.ts', import.meta.url),
        // A worker keeps one piece alive at a time: a small young generation (some 20 MB less RSS each).
        { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } },
      );
    } catch {
      worker = undefined;
    }
    if (!worker) break;
    const slot: Slot = { worker, waiting: new Map(), contexts: new Set() };
    worker.on('message', ({ id, result }: { id: number; result: PieceResult | undefined }) => {
      const resolve = slot.waiting.get(id);
      slot.waiting.delete(id);
      // An idle worker must not keep the process alive.
      if (slot.waiting.size === 0) slot.worker.unref();
      if (result) compiled++;
      resolve?.(result);
    });
    worker.on('error', () => drop(slot));
    worker.on('exit', () => drop(slot));
    worker.unref();
    slots.push(slot);
  }
  return slots;
}

/**
 * A pool of worker threads that compile pieces of a spec's large CSV files (CSV text in; each row's
 * number, messageId and content out), sharing nothing but those strings; the main thread keeps the
 * duplicate check, the grouping and the writing. A piece with any problem comes back undefined and
 * is read on the main thread, which reports it as it always did.
 */
export function createPiecePool(
  spec: Omit<PieceContext, keyof CsvLayout | 'defaultCountry'>,
  usable: () => boolean,
  minBytes = POOL_MIN_BYTES,
): PiecePool {
  const contexts = new Map<CsvLayout, number>();
  return {
    minBytes,
    warmUp: start,
    usable,
    compile(piece: CsvPiece, defaultCountry: string | undefined) {
      const all = start();
      let slot: Slot | undefined;
      for (const s of all) if (!slot || s.waiting.size < slot.waiting.size) slot = s;
      if (!slot) return Promise.resolve(undefined);
      let contextId = contexts.get(piece.layout);
      if (contextId === undefined) contexts.set(piece.layout, (contextId = nextContext++));
      const context: PieceContext | undefined = slot.contexts.has(contextId)
        ? undefined
        : {
            ...spec,
            ...piece.layout,
            ...(defaultCountry === undefined ? {} : { defaultCountry }),
          };
      slot.contexts.add(contextId);
      const id = nextTask++;
      const chosen = slot;
      return new Promise((resolve) => {
        if (chosen.waiting.size === 0) chosen.worker.ref();
        chosen.waiting.set(id, resolve);
        chosen.worker.postMessage({ id, contextId, context, text: piece.text });
      });
    },
  };
}

/**
 * The workers alive now, for tests alone: test/compile/compile-pool.test.ts terminates them mid-run
 * to see that what they had not answered is compiled in-thread.
 */
export function compileWorkersForTests(): readonly Worker[] {
  return slots?.map((s) => s.worker) ?? [];
}

/** Pieces the workers compiled so far (for tests and benchmarks). */
export function piecesCompiledOffThread(): number {
  return compiled;
}
