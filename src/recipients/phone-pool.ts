import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import {
  identify,
  packTask,
  unpackIdentified,
  type Identified,
  type IdentifyTask,
  type PackedIdentified,
} from './identify.js';

/**
 * Validating a number with libphonenumber's full metadata costs several microseconds, as much as
 * rendering and validating its message. Large recipient files have numbers normalised (and their
 * messageIds derived) on a worker thread while the main thread reads and renders; small batches
 * (inline recipients, short files) stay in-thread.
 */
const MIN_BATCH = 256;

/**
 * Batches queued on the worker beyond which the next batch is done in-thread: the main thread
 * takes a share of the numbers whenever the worker falls behind, so both threads stay busy.
 */
const MAX_QUEUED = 2;

interface Task {
  task: IdentifyTask;
  resolve: (result: Identified) => void;
}

let worker: Worker | undefined;
let unavailable = false;
let nextId = 0;
let offThread = 0;
const tasks = new Map<number, Task>();

/** A worker running the module `built`, else (tests under tsx) its TypeScript `source`; undefined without either. */
export function createModuleWorker(
  built: URL,
  source: URL,
  options: WorkerOptions = {},
): Worker | undefined {
  if (existsSync(fileURLToPath(built))) return new Worker(built, options);
  // Running from source (tests under tsx): workers do not inherit tsx's hooks, so register them first.
  if (!existsSync(fileURLToPath(source))) return undefined;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source.href)}); })`,
    { ...options, eval: true },
  );
}

/** A worker that fails is not retried: its tasks and all later ones are done in-thread. */
function fail(): void {
  unavailable = true;
  const dead = worker;
  worker = undefined;
  void dead?.terminate();
  for (const { task, resolve } of tasks.values()) resolve(identify(task));
  tasks.clear();
}

function start(): Worker | undefined {
  if (worker || unavailable) return worker;
  try {
    worker = createModuleWorker(
      new URL('./phone-worker.js', import.meta.url),
      new URL('./phone-worker.ts', import.meta.url),
    );
  } catch {
    worker = undefined;
  }
  if (!worker) {
    unavailable = true;
    return undefined;
  }
  worker.on('message', ({ id, phoneNumbers, messageIds }: PackedIdentified & { id: number }) => {
    const pending = tasks.get(id);
    if (!pending) return;
    tasks.delete(id);
    // An idle worker must not keep the process alive.
    if (tasks.size === 0) worker?.unref();
    offThread++;
    pending.resolve(unpackIdentified({ phoneNumbers, messageIds }));
  });
  worker.on('error', fail);
  worker.on('exit', () => {
    if (tasks.size > 0) fail();
    worker = undefined;
  });
  worker.unref();
  return worker;
}

/** Starts the worker ahead of the first large batch (it takes a moment to load its metadata). */
export function warmUpIdentifyWorker(): void {
  start();
}

/**
 * identify() over a batch, on the worker thread when the batch is large. Never rejects: if the
 * worker cannot run, the batch is done in-thread.
 */
export function identifyBatch(task: IdentifyTask): Promise<Identified> {
  // Only a warmed-up worker is used: starting one costs more than a small file's numbers.
  const w = task.numbers.length >= MIN_BATCH && tasks.size < MAX_QUEUED ? worker : undefined;
  if (!w) return Promise.resolve(identify(task));
  return new Promise((resolve) => {
    const id = nextId++;
    if (tasks.size === 0) w.ref();
    tasks.set(id, { task, resolve });
    w.postMessage({ id, ...packTask(task) });
  });
}

/** Stops the worker for good; batches it had not answered are done in-thread. */
export async function stopIdentifyWorker(): Promise<void> {
  unavailable = true;
  await worker?.terminate();
}

/** Batches the worker has answered so far (for tests and benchmarks). */
export function batchesDoneOffThread(): number {
  return offThread;
}
