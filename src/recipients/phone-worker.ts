// Normalises phone numbers and derives their messageIds off the main thread (see phone-pool.ts).
import { parentPort } from 'node:worker_threads';
import { identify, packIdentified, type IdentifyTask } from './identify.js';

parentPort?.on('message', (task: IdentifyTask & { id: number }) => {
  parentPort?.postMessage({ id: task.id, ...packIdentified(identify(task)) });
});
