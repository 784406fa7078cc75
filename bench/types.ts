export interface BenchOptions {
  quick: boolean;
  /** Options given with a value on the command line (`--dossiers 50000` → `{ dossiers: '50000' }`). */
  values: Record<string, string>;
}

/** One benchmark figure: repeated measurements after warm-up, summarised. */
export interface BenchRow {
  figure: string;
  unit: string;
  median: number;
  p95: number;
  min: number;
  max: number;
  n: number;
  /** Human-readable target, e.g. "p95 ≤ 50 ms". */
  target?: string;
  meets?: boolean;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  /** Context worth printing with the figures (store size, scale…). */
  notes?: string[];
}

/** Summarises raw samples into a row (nearest-rank p95). */
export function summarise(
  figure: string,
  unit: string,
  samples: number[],
  target?: { text: string; p95Max?: number; medianMax?: number; minAtLeast?: number },
): BenchRow {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const row: BenchRow = {
    figure,
    unit,
    median: at(0.5),
    p95: at(0.95),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
  if (target) {
    row.target = target.text;
    row.meets =
      (target.p95Max === undefined || row.p95 <= target.p95Max) &&
      (target.medianMax === undefined || row.median <= target.medianMax) &&
      (target.minAtLeast === undefined || row.min >= target.minAtLeast);
  }
  return row;
}
