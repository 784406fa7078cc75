// Times node processes from a small process of its own, for the benches that measure a command's
// wall time (bench/import.ts: the CLI), driven by process-timer.ts.
//
// Why not from the bench's own process: Node starts a child with fork() then exec, and fork copies
// the parent's page tables, which takes longer the more memory the parent maps. The import bench
// has parsed 23 MB of documents thirty times and held a 150 MB store by the time it runs the CLI,
// and a node process started from there was measured 15–50 ms slower than the same one started from
// a small process (docs/performance.md). A hospital system's spawn is its own business; what the
// bench measures is the command.
//
// Protocol, one JSON object per line: the bench writes `{ "args": [...], "cwd": "..." }` on stdin,
// this process runs `node ...args` (output ignored) and answers `{ "ms": wall, "code": exit code }`
// on stdout, wall measured from just before the spawn to the child's exit. Plain JavaScript, so
// that node runs it as it is, without the bench's TypeScript loader.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createInterface } from 'node:readline';

/** @param {{ args: string[]; cwd: string }} request */
function run(request) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, request.args, { stdio: 'ignore', cwd: request.cwd });
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
}

// The bench waits for each answer before its next request (process-timer.ts): one child at a time.
createInterface({ input: process.stdin }).on('line', (line) => {
  void run(JSON.parse(line)).then((answer) => process.stdout.write(`${JSON.stringify(answer)}\n`));
});
