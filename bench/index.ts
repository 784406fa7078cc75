import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchResult } from './types';

/**
 * `npm run bench [-- <cards|store|ui|import|search|host|deposit|all>…] [--quick] [--dossiers N]`: prints a
 * table per bench and one JSON line per bench (prefixed `BENCH `) for docs/performance.md and for
 * comparisons. Options taking a value (`--dossiers N`) are passed to every bench; each reads its own.
 */
type Bench = (opts: BenchOptions) => Promise<BenchResult>;

const benches: Record<string, () => Promise<Bench>> = {
  cards: async () => (await import('./cards')).benchCards,
  store: async () => (await import('./store')).benchStore,
  import: async () => (await import('./import')).benchImport,
  search: async () => (await import('./search')).benchSearch,
  ui: async () => (await import('./ui')).benchUi,
  host: async () => (await import('./host')).benchHost,
  deposit: async () => (await import('./deposit-cpu')).benchDepositCpu,
};

/** Options followed by a value; the value is not a bench name. */
const valuedOptions = ['--dossiers', '--seconds', '--clinical-every', '--depositors', '--deposits', '--runs'];

function parseArgs(args: string[]): { names: string[]; values: Record<string, string>; flags: string[] } {
  const names: string[] = [];
  const values: Record<string, string> = {};
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (valuedOptions.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined) {
        process.stderr.write(`Option ${flag} : valeur attendue.\n`);
        process.exit(2);
      }
      values[flag.slice(2)] = value;
    } else if (arg.startsWith('--')) flags.push(arg);
    else names.push(arg);
  }
  return { names, values, flags };
}

function format(result: BenchResult): string {
  const header = ['figure', 'unit', 'median', 'p95', 'min', 'max', 'n', 'target', 'meets'];
  const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  const rows = result.rows.map((r) => [
    r.figure,
    r.unit,
    fmt(r.median),
    fmt(r.p95),
    fmt(r.min),
    fmt(r.max),
    String(r.n),
    r.target ?? '',
    r.meets === undefined ? '' : r.meets ? 'oui' : 'NON',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [
    `## ${result.name}`,
    ...(result.notes ?? []).map((n) => `   ${n}`),
    line(header),
    ...rows.map(line),
  ].join('\n');
}

function markdown(result: BenchResult): string {
  const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  const lines = [
    `### ${result.name}`,
    ...(result.notes ?? []).map((n) => `- ${n}`),
    '',
    '| figure | unit | median | p95 | min | max | n | target | meets |',
    '|---|---|---|---|---|---|---|---|---|',
    ...result.rows.map(
      (r) =>
        `| ${r.figure} | ${r.unit} | ${fmt(r.median)} | ${fmt(r.p95)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.n} | ${r.target ?? ''} | ${r.meets === undefined ? '' : r.meets ? 'oui' : '**NON**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** Replaces the generated block of docs/performance.md with this run's tables. */
function writeDocs(header: string, results: BenchResult[]): void {
  const path = 'docs/performance.md';
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const doc = readFileSync(path, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} lacks the ${start} … ${end} markers`);
  const block = [start, '', header, '', ...results.map(markdown), '', end]
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n');
  writeFileSync(path, doc.slice(0, from) + block + doc.slice(to + end.length));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { names: requested, values, flags } = parseArgs(args);
  const quick = flags.includes('--quick');
  const options: BenchOptions = { quick, values };
  const results: BenchResult[] = [];
  // `all` is every bench but the host ones, which need a PostgreSQL cluster (and `host` minutes of set-up).
  const names =
    requested.length === 0 || requested.includes('all')
      ? Object.keys(benches).filter((n) => n !== 'host' && n !== 'deposit')
      : requested;
  const unknown = names.filter((n) => !benches[n]);
  if (unknown.length) {
    process.stderr.write(
      `Benchmark inconnu : ${unknown.join(', ')} (connus : ${Object.keys(benches).join(', ')})\n`,
    );
    process.exit(2);
  }
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
  };
  process.stdout.write(
    `Poste DMP bench — ${machine.cores} cœurs, ${machine.cpu}, Node ${machine.node}, ${machine.date}${quick ? ' (rapide)' : ''}\n\n`,
  );
  let failed = false;
  for (const name of names) {
    // Each bench gets its own process when several run, so one bench's heap (a 100k store…) never
    // inflates the next one's memory figures.
    const outcome = names.length > 1 ? await runInChild(name, args) : await runHere(name, options, machine);
    if (outcome) results.push(outcome);
    else failed = true;
  }
  if (flags.includes('--write-docs')) {
    writeDocs(
      `Run of ${machine.date} — ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}${quick ? ', --quick' : ''}.`,
      results,
    );
  }
  process.exit(failed ? 1 : 0);
}

type Machine = { cores: number; cpu: string; node: string; date: string };

async function runHere(name: string, options: BenchOptions, machine: Machine): Promise<BenchResult | null> {
  try {
    const bench = await benches[name]!();
    const result = await bench(options);
    process.stdout.write(`${format(result)}\n`);
    process.stdout.write(`BENCH ${JSON.stringify({ ...result, machine, quick: options.quick })}\n\n`);
    return result;
  } catch (err) {
    process.stdout.write(`## ${name}\n   ÉCHEC : ${err instanceof Error ? err.message : String(err)}\n\n`);
    return null;
  }
}

/** Runs one bench in a fresh `node` (same loader flags and options), echoes its output, returns its result. */
function runInChild(name: string, args: string[]): Promise<BenchResult | null> {
  const script = fileURLToPath(import.meta.url);
  const { values, flags } = parseArgs(args);
  const options = [
    ...flags.filter((f) => f !== '--write-docs'),
    ...Object.entries(values).map(([k, v]) => `--${k}=${v}`),
  ];
  const child = spawn(process.execPath, [...process.execArgv, script, name, ...options, '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      // The child's own header line is dropped: the parent printed one for the whole run.
      process.stdout.write(output.split('\n').slice(2).join('\n'));
      const line = output.split('\n').find((l) => l.startsWith('BENCH '));
      resolve(code === 0 && line ? (JSON.parse(line.slice(6)) as BenchResult) : null);
    });
  });
}

void main();
