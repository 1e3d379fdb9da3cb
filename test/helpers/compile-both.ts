import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compileSpecBatches, type CompileOptions } from '../../src/compile/compile-spec.js';
import { piecesCompiledOffThread } from '../../src/compile/compile-pool.js';
import { groupBodyTextBatches } from '../../src/compile/group-requests.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { CompiledMessage } from '../../src/compile/types.js';
import { loadSpec } from '../../src/message-spec/load-spec.js';
import { makeWorkspace } from './cli.js';

/** A personalised CSV of `n` rows; `odd(i)` replaces row i's line when it gives one. */
export function csv(n: number, odd: (i: number) => string | undefined = () => undefined): string {
  let text = 'phoneNumber,name,code\n';
  for (let i = 0; i < n; i++)
    text += `${odd(i) ?? `4179${String(i).padStart(7, '0')},Person ${i},C${i % 7}`}\n`;
  return text;
}

/** 20,000 rows, some with problems: reported as they are read, checked, or left to the main thread. */
export function csvWithProblems(): string {
  return csv(20_000, (i) => {
    if (i % 4000 === 17) return `+41 79 nope ${i},Person ${i},C1`; // not a number
    if (i % 5000 === 33) return `41790000010,Person 10,C3`; // a duplicate, the same vars
    if (i % 5000 === 34) return `41790000011,Someone else,C4`; // a duplicate, other vars
    if (i % 6000 === 55) return `4179${String(i).padStart(7, '0')},,C1`; // an empty name
    if (i % 7000 === 70) return `4179${String(i).padStart(7, '0')},Person ${i}`; // a field short
    if (i === 9001) return `4179${String(i).padStart(7, '0')},"Quoted, Person",C2`; // read here
    if (i === 12_000) return `4179${String(i).padStart(7, '0')},Esc \u001b[31m,C2`; // control character
    if (i === 15_000) return '';
    return undefined;
  });
}

/** A pooled run that has not ended by then hangs (a piece whose promise never settles). */
const POOLED_RUN_MS = 60_000;

/** The batches, with `after` called once the first has been read (pieces are then in flight). */
async function* afterFirst<T>(batches: AsyncIterable<T>, after: () => void): AsyncIterable<T> {
  let first = true;
  for await (const batch of batches) {
    yield batch;
    if (first) after();
    first = false;
  }
}

/**
 * What compile gives of a spec: its bodies' text and its diagnostics, with and without the pool
 * (test/compile/compile-pool.test.ts); `midRun` is called in the pooled run after its first batch.
 */
export async function compileBoth(files: Record<string, string>, midRun?: () => void) {
  const { dir, cleanup } = await makeWorkspace(files);
  try {
    const { value: doc } = await loadSpec(join(dir, 'spec.yaml'));
    assert.ok(doc);
    const run = async (options: CompileOptions, during?: () => void) => {
      const diagnostics: Diagnostic[] = [];
      const bodies: string[] = [];
      let messages: AsyncIterable<CompiledMessage[]> = compileSpecBatches(
        doc,
        (d) => diagnostics.push(d),
        options,
      );
      if (during) messages = afterFirst(messages, during);
      for await (const chunk of groupBodyTextBatches(messages, 3)) bodies.push(...chunk);
      return {
        bodies,
        diagnostics: diagnostics.map(
          (d) => `${String(d.file)}:${String(d.line)}:${String(d.column)} ${d.code} ${d.message}`,
        ),
      };
    };
    const before = piecesCompiledOffThread();
    let timer: NodeJS.Timeout | undefined;
    const pooled = await Promise.race([
      run({ bodiesOnly: true, poolFromBytes: 0 }, midRun),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the pooled run did not end in ${POOLED_RUN_MS} ms`)),
          POOLED_RUN_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const offThread = piecesCompiledOffThread() - before;
    return { pooled, here: await run({}), offThread };
  } finally {
    await cleanup();
  }
}
