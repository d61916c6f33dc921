// The one line every benchmark prints for `npm run bench` (bench/run-all.ts) to collect; see bench/README.md.

export interface BenchRow {
  /** What was measured, with its conditions: "duplicate check p95, PostgreSQL portable, 200k vectors". */
  figure: string;
  value: number;
  unit: string;
  /** The same-run baseline it is compared with, as text: "node -e 0: 38 ms". Null when there is none. */
  baseline: string | null;
  /** value ÷ baseline (or what the figure says it is a ratio of); null without a baseline. */
  ratio: number | null;
  /** The target as text ("≤ 20 ms", "≥ 40 % of bare"); null for a figure with no target. */
  target: string | null;
  /** Whether the target is met; null without a target. */
  met: boolean | null;
}

export interface BenchResult {
  bench: string;
  rows: BenchRow[];
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints the result line; a bench may call it once per database or once at the end. */
export function reportBench(bench: string, rows: BenchRow[]): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ bench, rows } satisfies BenchResult)}\n`);
}

/** True when the run asks for the full (million-row) sizes: `npm run bench -- --scale`. */
export const isScaleRun = (argv = process.argv) => argv.includes('--scale');

/** The command-line arguments that are not flags (`npm run bench` passes --scale to every benchmark). */
export const positionalArgs = (argv = process.argv) => argv.slice(2).filter((a) => !a.startsWith('--'));

/** The first positional argument as a number. */
export function numberArg(fallback: number, argv = process.argv): number {
  const [positional] = positionalArgs(argv);
  return positional === undefined ? fallback : Number(positional);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const percentile = (xs: number[], p: number) => sorted(xs)[Math.floor((xs.length - 1) * p)]!;
export const median = (xs: number[]) => percentile(xs, 0.5);
