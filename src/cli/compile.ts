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

/** How a spec's output starts, puts each body and ends: JSON (`{spec, file, requests: [...]}`) or NDJSON. */
function layout(doc: SpecDocument, ndjson: boolean) {
  return {
    head: ndjson
      ? ''
      : `{\n  "spec": ${JSON.stringify(doc.spec.name)},\n  "file": ${JSON.stringify(doc.file)},\n  "requests": [`,
    body: (body: string, index: number) =>
      ndjson ? `${body}\n` : `${index ? ',' : ''}\n    ${body}`,
    tail: (count: number) => (ndjson ? '' : `${count ? '\n  ' : ''}]\n}\n`),
  };
}

/**
 * Streams one spec's requests to what `open` gives, in the layout it says. With `decided`
 * unset, the first JSON_REQUEST_LIMIT + 1 bodies are held until the count decides JSON or NDJSON
 * (one pass over the recipients, not a count first).
 */
async function emit(
  doc: SpecDocument,
  batchSize: number,
  open: (ndjson: boolean) => NodeJS.WritableStream,
  decided: boolean | undefined,
  diagnostics: Diagnostic[],
): Promise<number> {
  let count = 0;
  type Out = { stream: NodeJS.WritableStream; layout: ReturnType<typeof layout> };
  const held: string[] = [];
  const start = async (ndjson: boolean): Promise<Out> => {
    const started = { stream: open(ndjson), layout: layout(doc, ndjson) };
    let text = started.layout.head;
    held.forEach((body, index) => (text += started.layout.body(body, index)));
    held.length = 0;
    if (text !== '') await write(started.stream, text);
    return started;
  };
  let out = decided === undefined ? undefined : await start(decided);
  const batches = groupBodyTextBatches(
    compileSpecBatches(doc, (d) => diagnostics.push(d), { bodiesOnly: true }),
    batchSize,
  );
  // One write per batch of bodies: a million small writes cost more than the JSON itself.
  for await (const bodies of batches) {
    if (!out) {
      held.push(...bodies);
      count += bodies.length;
      if (count > JSON_REQUEST_LIMIT) out = await start(true);
      continue;
    }
    let text = '';
    for (const body of bodies) text += out.layout.body(body, count++);
    await write(out.stream, text);
  }
  out ??= await start(false);
  const tail = out.layout.tail(count);
  if (tail !== '') await write(out.stream, tail);
  return count;
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
        () => process.stdout,
        options.format === 'ndjson',
        diagnostics,
      );
    printDiagnostics(diagnostics);
    return hasErrors(diagnostics) ? EXIT.error : EXIT.ok;
  }
  const dir = options.out;
  await mkdir(dir, { recursive: true });
  for (const doc of workspace.docs) {
    const batchSize = batchSizeOf(doc, config.batchSize);
    let target = '';
    let temporary = '';
    const streams: WriteStream[] = [];
    const open = (ndjson: boolean) => {
      target = path.join(dir, `${doc.spec.name}.${ndjson ? 'ndjson' : 'json'}`);
      temporary = `${target}.tmp-${process.pid}`;
      const stream = createWriteStream(temporary);
      streams.push(stream);
      return stream;
    };
    const before = diagnostics.length;
    const count = await emit(
      doc,
      batchSize,
      open,
      options.format === 'ndjson' ? true : undefined,
      diagnostics,
    );
    for (const stream of streams) await close(stream);
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
