import { parentPort } from 'node:worker_threads';
import { serveStore } from './store-service';

/** Worker entry: the store served in its own thread (store-service.ts). */
if (!parentPort) throw new Error('store-worker must run in a worker thread');
serveStore(parentPort);
