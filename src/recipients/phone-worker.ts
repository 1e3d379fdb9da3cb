// Normalises phone numbers and derives their messageIds off the main thread (see phone-pool.ts).
import { parentPort } from 'node:worker_threads';
import { identify, packIdentified, unpackTask, type PostedTask } from './identify.js';

parentPort?.on('message', (task: PostedTask & { id: number }) => {
  parentPort?.postMessage({ id: task.id, ...packIdentified(identify(unpackTask(task))) });
});
