import { parentPort } from 'node:worker_threads';

/**
 * The real CDA parser worker behind a fault injector, for the pool's failure tests: a document that
 * starts with one of these words makes the worker misbehave as a parse gone wrong would; any other
 * goes to the real worker (loaded below, so its handler runs after this one).
 *   HANG  a parse that never ends (the thread spins: only terminate() stops it)
 *   CRASH an uncaught exception in the worker
 *   EXIT  the worker exits on its own
 *   OOM   the heap grows until the worker's resourceLimits stop it
 */
const port = parentPort!;
port.on('message', (request: { bytes: Uint8Array }) => {
  const head = Buffer.from(request.bytes.subarray(0, 5)).toString('latin1');
  if (head.startsWith('HANG')) for (;;);
  // The real worker's listener runs even after this one throws: its answer must not get out first.
  if (head.startsWith('CRASH') || head.startsWith('EXIT')) port.postMessage = () => undefined;
  if (head.startsWith('CRASH')) throw new Error('injected crash');
  if (head.startsWith('EXIT')) process.exit(3);
  if (head.startsWith('OOM')) {
    const hog: string[][] = [];
    for (;;) hog.push(Array.from({ length: 100_000 }, (_, i) => `${i}-${hog.length}`));
  }
});

await import('../../../../src/main/dmp/cda-parser-worker');
