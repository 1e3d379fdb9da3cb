// Compiles pieces of CSV for compile-pool.ts: CSV text in, each row's number, ids and content out.
import { parentPort } from 'node:worker_threads';
import { createPieceCompiler, type PieceCompiler, type PieceContext } from './compile-piece.js';

const compilers = new Map<number, PieceCompiler>();

parentPort?.on(
  'message',
  ({ id, context, contextId, text }: PieceTask & { context?: PieceContext }) => {
    let compiler = compilers.get(contextId);
    if (!compiler && context) compilers.set(contextId, (compiler = createPieceCompiler(context)));
    const result = compiler?.compile(text);
    parentPort?.postMessage(
      { id, result },
      result
        ? [
            result.lines.buffer,
            result.columns.buffer,
            result.hashes.buffer,
            result.phones.buffer,
            result.ids.buffer,
            result.soloBulkIds.buffer,
          ].map((b) => b as ArrayBuffer)
        : [],
    );
  },
);

interface PieceTask {
  id: number;
  contextId: number;
  text: string;
}
