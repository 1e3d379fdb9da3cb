import { EXIT, type ExitCode } from '../errors.js';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Command } from '@commander-js/extra-typings';
import { compileSpecBatches } from '../compile/compile-spec.js';
import { batchSizeOf, groupBodyTextBatches } from '../compile/group-requests.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadWorkspace } from '../message-spec/load-workspace.js';
import type { SpecDocument } from '../message-spec/types.js';
import {
  addAllowOutsideOption,
  addConfigOptions,
  addFormatOption,
  resolveConfig,
  type FlagsOf,
} from './options.js';
import { printDiagnostics } from './print-diagnostics.js';
import { action } from './run.js';
import { noun } from '../report/plural.js';

/** Specs with more requests than this are written as NDJSON under --out. */
const JSON_REQUEST_LIMIT = 1000;

const COMPILE_HELP = [
  '',
  '--format json: an object per spec; ndjson: one request body per line.',
  "The config's batchSize applies to specs that set none.",
  `Under --out, a spec with more than ${JSON_REQUEST_LIMIT} requests is written as NDJSON.`,
  'Output is deterministic: the same specs compile to the same bytes, the very bodies apply sends',
  '(on a fresh state).',
  '',
  'Exit codes: 0 ok, 1 errors found (nothing is written for a spec with errors).',
].join('\n');

/** `compile` and its flags, in --help order. */
function compileCommand(program: Command) {
  const command = program
    .command('compile')
    .description('compile specs into sendWhatsappMessage request bodies (nothing is sent)')
    .argument('[paths...]', 'spec files or folders', ['specs'])
    .option(
      '-o, --out <dir>',
      'write one <spec-name>.json (or .ndjson) per spec into DIR instead of stdout',
    );
  return addAllowOutsideOption(addConfigOptions(addFormatOption(command, ['json', 'ndjson'])));
}

type CompileOptions = FlagsOf<ReturnType<typeof compileCommand>>;

export function defineCompileCommand(program: Command): void {
  compileCommand(program)
    .addHelpText('after', COMPILE_HELP)
    .action(action(async (paths, options) => runCompile(paths, options)));
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Streams one spec's requests as `{spec, file, requests: [...]}` or NDJSON lines. */
async function emit(
  doc: SpecDocument,
  batchSize: number,
  stream: NodeJS.WritableStream,
  ndjson: boolean,
  diagnostics: Diagnostic[],
): Promise<number> {
  let count = 0;
  const batches = groupBodyTextBatches(
    compileSpecBatches(doc, (d) => diagnostics.push(d)),
    batchSize,
  );
  if (!ndjson)
    await write(
      stream,
      `{\n  "spec": ${JSON.stringify(doc.spec.name)},\n  "file": ${JSON.stringify(doc.file)},\n  "requests": [`,
    );
  // One write per batch of bodies: a million small writes cost more than the JSON itself.
  for await (const bodies of batches) {
    let text = '';
    for (const body of bodies) {
      text += ndjson ? `${body}\n` : `${count ? ',' : ''}\n    ${body}`;
      count++;
    }
    await write(stream, text);
  }
  if (!ndjson) await write(stream, `${count ? '\n  ' : ''}]\n}\n`);
  return count;
}

async function countRequests(doc: SpecDocument, batchSize: number): Promise<number> {
  let n = 0;
  for await (const bodies of groupBodyTextBatches(
    compileSpecBatches(doc, () => {}),
    batchSize,
  ))
    if ((n += bodies.length) > JSON_REQUEST_LIMIT) break;
  return n;
}

async function runCompile(paths: string[], options: CompileOptions): Promise<ExitCode> {
  const config = await resolveConfig(options);
  const workspace = await loadWorkspace(paths, {
    allowOutside: config.allowOutside ?? [],
    recipientDefaults: config.recipients ?? {},
    ...(config.seed ? { seed: config.seed } : {}),
  });
  const diagnostics: Diagnostic[] = [...workspace.diagnostics];
  if (!options.out) {
    for (const doc of workspace.docs)
      await emit(
        doc,
        batchSizeOf(doc, config.batchSize),
        process.stdout,
        options.format === 'ndjson',
        diagnostics,
      );
    printDiagnostics(diagnostics);
    return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
  }
  await mkdir(options.out, { recursive: true });
  for (const doc of workspace.docs) {
    const batchSize = batchSizeOf(doc, config.batchSize);
    const ndjson =
      options.format === 'ndjson' || (await countRequests(doc, batchSize)) > JSON_REQUEST_LIMIT;
    const target = path.join(options.out, `${doc.spec.name}.${ndjson ? 'ndjson' : 'json'}`);
    const temporary = `${target}.tmp-${process.pid}`;
    const stream = createWriteStream(temporary);
    const before = diagnostics.length;
    const count = await emit(doc, batchSize, stream, ndjson, diagnostics);
    await close(stream);
    if (hasErrors(diagnostics.slice(before))) {
      await unlink(temporary);
      continue;
    }
    await rename(temporary, target);
    process.stderr.write(`wrote ${target} (${count} ${noun(count, 'request')})\n`);
  }
  printDiagnostics(diagnostics);
  return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
}
