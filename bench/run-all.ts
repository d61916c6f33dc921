// `npm run bench [-- --scale] [name ...]`: runs each benchmark in bench/ as a child process, one after
// another (they measure; running two at once would measure each other), collects the BENCH_RESULT
// lines they print and ends with one table. Their own output goes to stderr as it comes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type BenchResult, type BenchRow } from './bench-result.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(['run-all.ts', 'bench-result.ts']);

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const only = args.filter((a) => !a.startsWith('--'));
const scale = flags.includes('--scale');
// A bench that hangs must not hold the whole run; the million-row seeding takes minutes.
const timeoutMs = (scale ? 90 : 20) * 60_000;

// Helpers start with `_`; every other file is a benchmark, and one that prints no result is a failed row.
const benches = fs
  .readdirSync(HERE)
  .filter((f) => f.endsWith('.ts') && !NOT_BENCHES.has(f) && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();

interface Outcome {
  file: string;
  results: BenchResult[];
  code: number | null;
  seconds: number;
}

function run(file: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, file), ...flags], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    const results: BenchResult[] = [];
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult);
        else process.stderr.write(`[${file}] ${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ file, results, code, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const fmt = (n: number | null) =>
  n === null
    ? '—'
    : Number.isInteger(n)
      ? String(n)
      : Math.abs(n) >= 100
        ? n.toFixed(0)
        : Math.abs(n) >= 10
          ? n.toFixed(1)
          : n.toFixed(2);
const metText = (m: boolean | null) => (m === null ? '—' : m ? 'yes' : 'NO');

const outcomes: Outcome[] = [];
for (const file of benches) {
  process.stderr.write(`\n== ${file}${scale ? ' --scale' : ''}\n`);
  outcomes.push(await run(file));
}

const header = ['bench', 'figure', 'value', 'baseline', 'ratio', 'target', 'met'];
const rows: string[][] = [];
for (const o of outcomes) {
  const name = o.file.replace(/\.ts$/, '');
  if (o.results.length === 0 || o.code !== 0) {
    rows.push([name, `exited with ${o.code ?? 'a signal'} after ${o.seconds.toFixed(0)} s`, '—', '—', '—', '—', 'NO']);
  }
  for (const r of o.results) {
    for (const row of r.rows as BenchRow[]) {
      rows.push([
        r.bench,
        row.figure,
        `${fmt(row.value)} ${row.unit}`,
        row.baseline ?? '—',
        row.ratio === null ? '—' : `${fmt(row.ratio)}×`,
        row.target ?? '—',
        metText(row.met),
      ]);
    }
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.exit(outcomes.some((o) => o.code !== 0 || o.results.length === 0) ? 1 : 0);
