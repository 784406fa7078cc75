import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from 'esbuild';
import { createLogger } from '../../../src/main/log/logger';
import { StoreEngine } from '../../../src/main/store/engine';
import { rawStoreKey } from '../../../src/main/store/key';
import { crashMigrationSource } from './crash-schema';

/**
 * Kills a writer with SIGKILL at random points (mid-commit, mid-compaction, at start-up) and checks
 * after each kill that every acknowledged transaction survived and none survived in part.
 */
const childSource = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The child is bundled once with esbuild (next to a bundled store worker, where the store looks for
 * it), so each run starts plain `node` in ~0.1 s instead of loading tsx: that is what lets the test
 * afford hundreds of kills. Inside node_modules so `sql.js` still resolves.
 */
const bundleDir = join(repoRoot, 'node_modules', '.cache', 'poste-dmp-crash-child');
const childScript = join(bundleDir, 'crash-child.mjs');

beforeAll(async () => {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Left to node_modules: sql.js loads its wasm beside it, pino starts its writers by module name.
    external: ['sql.js', 'pino', 'pino-roll'],
    logLevel: 'error',
  };
  await build({ ...common, entryPoints: [childSource], outfile: childScript });
  await build({
    ...common,
    entryPoints: [join(repoRoot, 'src/main/store/store-worker.ts')],
    outfile: join(bundleDir, 'store-worker.js'),
  });
}, 60_000);
const lanes = 3;
/**
 * Runs are bounded by count and by a time budget: child start-up (node + sql.js) dominates. The
 * count of runs done is printed. The budget never cuts a lane below a few runs, so a loaded machine
 * makes the test slower, not weaker and not red (no "N runs in T seconds" floor).
 */
const targetRuns = Number(process.env.POSTE_DMP_CRASH_RUNS ?? 300);
const budgetMs = Number(process.env.POSTE_DMP_CRASH_BUDGET_MS ?? 95_000);
const minimumRunsPerLane = Math.min(Math.ceil(targetRuns / lanes), 10);

interface Snapshot {
  txs: [id: number, rows: number, found: number][];
  orphans: number;
}

interface RunOutcome {
  state: Snapshot;
  acked: number[];
  /** Closes and reopens within the run (on demand: overlay appended, then used). */
  reopens: number;
  overlayUsed: number;
  killedDuringCompaction: boolean;
  tailDropped: boolean;
}

type KillPlan =
  | { kind: 'after-acks'; acks: number }
  | { kind: 'in-compaction'; nth: number; delayMs: number }
  | { kind: 'after-delay'; delayMs: number };

function pickPlan(random: () => number): KillPlan {
  const r = random();
  if (r < 0.35) return { kind: 'after-acks', acks: Math.floor(random() * 25) };
  if (r < 0.7)
    return { kind: 'in-compaction', nth: 1 + Math.floor(random() * 2), delayMs: Math.floor(random() * 25) };
  return { kind: 'after-delay', delayMs: Math.floor(random() * 400) };
}

function runChild(
  dir: string,
  keyHex: string,
  mode: 'engine' | 'worker',
  reading: 'whole' | 'on-demand',
  firstTx: number,
  seed: number,
  plan: KillPlan,
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const args = [childScript, dir, mode, String(firstTx), String(seed), reading];
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, POSTE_DMP_CRASH_KEY: keyHex },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let state: Snapshot | null = null;
    const acked: number[] = [];
    let compactionsStarted = 0;
    let compacting = false;
    let tailDropped = false;
    let killedDuringCompaction = false;
    let reopens = 0;
    let overlayUsed = 0;
    let killed = false;
    let buffer = '';
    let stderr = '';
    const kill = (): void => {
      if (killed) return;
      killed = true;
      killedDuringCompaction = compacting;
      child.kill('SIGKILL');
    };
    const killSoon = (ms: number): void => {
      setTimeout(kill, ms);
    };
    // Never let a child outlive its run, whatever happens.
    const guard = setTimeout(kill, 8000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        // Lines still arriving after the kill was decided are processed too: an ack printed
        // before death is an acknowledged write.
        if (line.startsWith('state ')) {
          state = JSON.parse(line.slice(6)) as Snapshot;
          if (plan.kind === 'after-delay' && !killed) killSoon(plan.delayMs);
          if (plan.kind === 'after-acks' && plan.acks === 0) kill();
        } else if (line.startsWith('ack ')) {
          acked.push(Number(line.slice(4)));
          if (plan.kind === 'after-acks' && acked.length >= plan.acks) kill();
        } else if (line === 'log compaction started') {
          compacting = true;
          compactionsStarted += 1;
          if (plan.kind === 'in-compaction' && compactionsStarted === plan.nth && !killed)
            killSoon(plan.delayMs);
        } else if (line === 'log compaction finished') {
          compacting = false;
        } else if (line === 'log journal tail dropped') {
          tailDropped = true;
        } else if (line === 'reopened') {
          reopens += 1;
        } else if (line === 'log overlay used') {
          overlayUsed += 1;
        } else if (line.startsWith('error ')) {
          reject(new Error(`child failed: ${line}`));
        }
      }
    });
    // 'close', not 'exit': every line the child wrote before dying has been read by then.
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL')
        return reject(new Error(`child exited on its own (${String(signal)}): ${stderr.slice(0, 2000)}`));
      const seen = { acked, killedDuringCompaction, tailDropped, reopens, overlayUsed };
      resolve({ state: state ?? { txs: [], orphans: -1 }, ...seen });
    });
  });
}

function violations(state: Snapshot, mustHave: Set<number>): string[] {
  const problems: string[] = [];
  if (state.orphans !== 0) problems.push(`${state.orphans} rows without their transaction`);
  const present = new Set<number>();
  for (const [id, rows, found] of state.txs) {
    present.add(id);
    if (rows !== found) problems.push(`tx ${id}: ${found} of ${rows} rows`);
  }
  for (const id of mustHave) if (!present.has(id)) problems.push(`acknowledged tx ${id} missing`);
  return problems;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('store crash safety', () => {
  it(
    'keeps every acknowledged transaction, whole, across hundreds of SIGKILLs',
    { timeout: 2 * budgetMs + 60_000 },
    async () => {
      let seed = Number.parseInt(process.env.POSTE_DMP_CRASH_SEED ?? '', 10) || (Date.now() % 1_000_000) + 1;
      console.log(`crash test seed ${seed} (set POSTE_DMP_CRASH_SEED to replay)`);
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const totals = {
        runs: 0,
        duringCompaction: 0,
        tailsDropped: 0,
        acked: 0,
        workerRuns: 0,
        onDemandRuns: 0,
        reopens: 0,
        overlayOpens: 0,
      };
      const deadline = Date.now() + budgetMs;
      let started = 0;

      const lane = async (laneIndex: number): Promise<string[]> => {
        const dir = mkdtempSync(join(tmpdir(), `poste-dmp-crash-${laneIndex}-`));
        dirs.push(dir);
        const keyBytes = randomBytes(32);
        const keyHex = keyBytes.toString('hex');
        const acked = new Set<number>();
        const problems: string[] = [];
        for (
          let run = 0;
          started < targetRuns && (Date.now() < deadline || run < minimumRunsPerLane);
          run++
        ) {
          started += 1;
          const mode = run % 5 === 4 ? 'worker' : 'engine';
          // Every other run opens as the CLI does, reading the snapshot's blocks on demand.
          const reading = run % 2 === 1 ? 'on-demand' : 'whole';
          // Each lane's first run dies inside a compaction for sure; later ones wherever chance puts them.
          const plan: KillPlan = run === 0 ? { kind: 'in-compaction', nth: 1, delayMs: 1 } : pickPlan(random);
          const runStarted = Date.now();
          const outcome = await runChild(
            dir,
            keyHex,
            mode,
            reading,
            (run + 1) * 100_000,
            Math.floor(random() * 1e9),
            plan,
          );
          if (process.env.POSTE_DMP_CRASH_VERBOSE) {
            console.log(
              `lane ${laneIndex} run ${run} ${mode} ${reading} ${JSON.stringify(plan)}: ${outcome.acked.length} acks, ${Date.now() - runStarted} ms`,
            );
          }
          if (outcome.state.orphans !== -1)
            problems.push(
              ...violations(outcome.state, acked).map((p) => `lane ${laneIndex} run ${run}: ${p}`),
            );
          for (const id of outcome.acked) acked.add(id);
          totals.runs += 1;
          totals.acked += outcome.acked.length;
          if (outcome.killedDuringCompaction) totals.duringCompaction += 1;
          if (outcome.tailDropped) totals.tailsDropped += 1;
          if (mode === 'worker') totals.workerRuns += 1;
          if (reading === 'on-demand') totals.onDemandRuns += 1;
          totals.reopens += outcome.reopens;
          totals.overlayOpens += outcome.overlayUsed;
          if (problems.length > 0) break;
        }
        // Final check in this process, on what the last kill left behind.
        const engine = await StoreEngine.open({
          dir,
          key: rawStoreKey(keyBytes),
          migrations: crashMigrationSource,
          log: createLogger({ sink: () => undefined }),
        });
        const txs = engine.all<{ id: number; rows: number; found: number }>(
          'SELECT t.id, t.rows, (SELECT count(*) FROM items i WHERE i.tx = t.id) AS found FROM txs t',
        );
        const orphans =
          engine.all<{ n: number }>('SELECT count(*) AS n FROM items WHERE tx NOT IN (SELECT id FROM txs)')[0]
            ?.n ?? -1;
        await engine.close();
        problems.push(
          ...violations({ txs: txs.map((t) => [t.id, t.rows, t.found]), orphans }, acked).map(
            (p) => `lane ${laneIndex} final: ${p}`,
          ),
        );
        return problems;
      };

      const problems = (await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)))).flat();
      console.log(`crash test: ${JSON.stringify(totals)}`);
      expect(problems).toEqual([]);
      // The interesting windows were actually hit.
      expect(totals.duringCompaction).toBeGreaterThan(0);
      expect(totals.acked).toBeGreaterThan(totals.runs);
      expect(totals.onDemandRuns).toBeGreaterThan(0);
      expect(totals.reopens).toBeGreaterThan(0);
      expect(totals.overlayOpens).toBeGreaterThan(0);
    },
  );
});
