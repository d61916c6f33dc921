// Start and memory: `threads-agent --help` against `node -e 0` (the floor any CLI pays), and the
// resident memory of `npm start` (the `all` role: API, worker, embedded simulator, PGlite) 20 s after
// it is ready, on its first start and on a restart of the same data directory, against an idle bare
// node. That is before V8 compacts the start's garbage (about a minute after start): the idle targets
// (RSS ≤ 300 MB, CPU ≤ 0.5 %) are measured once the process is idle, by idle.ts.
// Run: npx tsx bench/startup.ts [runs] [--scale]   (dist/ must be built: npm install, or npm run build)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, numberArg, reportBench, type BenchRow } from './bench-result.ts';

const RUNS = numberArg(10);
const IDLE_MS = 15_000;
const BIN = 'bin/threads-agent.mjs';

if (!fs.existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run `npm run build` first');

function timeOnce(args: string[], env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const bare: number[] = [];
const help: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(timeOnce(['-e', '0']));
  help.push(timeOnce([BIN, '--help']));
}
const fromSource = Array.from({ length: 3 }, () => timeOnce([BIN, '--help'], { THREADS_AGENT_FROM_SOURCE: '1' }));
console.log(
  `--help median of ${RUNS}: ${median(help).toFixed(0)} ms; node -e 0: ${median(bare).toFixed(0)} ms; from the sources through tsx: ${median(fromSource).toFixed(0)} ms`,
);

function residentMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
/** CPU ticks (user + system) the process used so far. */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

/** Starts the command, waits for `ready` in its output, lets it idle, then reads its memory and CPU. */
async function idle(args: string[], env: Record<string, string>, ready: RegExp | null) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const deadline = Date.now() + 120_000;
  while (ready && !ready.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${output}`);
    await sleep(100);
  }
  await sleep(IDLE_MS / 3);
  const ticks = cpuTicks(child.pid!);
  await sleep(IDLE_MS);
  const cpu = (cpuTicks(child.pid!) - ticks) / TICKS_PER_SECOND / (IDLE_MS / 1000);
  const rss = residentMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { rss, cpu };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threads-agent-startup-'));
const env = {
  DATA_DIR: dataDir,
  PORT: '0',
  SIM_PORT: '0',
  WORKER_METRICS_PORT: '0',
  LOG_LEVEL: 'info',
  DATABASE_URL: '',
};
const rows: BenchRow[] = [];
try {
  const base = await idle(['-e', 'setInterval(() => {}, 1000)'], {}, null);
  const first = await idle([BIN, 'all'], env, /threads-agent started/);
  const again = await idle([BIN, 'all'], env, /threads-agent started/);
  console.log(
    `RSS 20 s after ready: bare node ${base.rss.toFixed(0)} MB; npm start ${first.rss.toFixed(0)} MB first start, ${again.rss.toFixed(0)} MB restarted; CPU 5-20 s after ready ${(first.cpu * 100).toFixed(2)} % / ${(again.cpu * 100).toFixed(2)} % of a core`,
  );
  rows.push(
    {
      figure: `threads-agent --help, median of ${RUNS}`,
      value: median(help),
      unit: 'ms',
      baseline: `node -e 0 ${median(bare).toFixed(0)} ms`,
      ratio: median(help) / median(bare),
      target: '≤ 500 ms',
      met: median(help) <= 500,
    },
    {
      figure: '--help from the sources (tsx), median of 3',
      value: median(fromSource),
      unit: 'ms',
      baseline: `node -e 0 ${median(bare).toFixed(0)} ms`,
      ratio: median(fromSource) / median(bare),
      target: null,
      met: null,
    },
  );
  for (const [label, run] of [
    ['first start', first],
    ['restarted', again],
  ] as const) {
    rows.push(
      {
        figure: `npm start RSS 20 s after ready, PGlite, ${label} (idle: idle.ts)`,
        value: run.rss,
        unit: 'MB',
        baseline: `idle node ${base.rss.toFixed(0)} MB`,
        ratio: run.rss / base.rss,
        target: null,
        met: null,
      },
      {
        figure: `npm start CPU 5-20 s after ready, PGlite, ${label} (idle: idle.ts)`,
        value: run.cpu * 100,
        unit: '% of a core',
        baseline: `idle node ${(base.cpu * 100).toFixed(2)} %`,
        ratio: null,
        target: null,
        met: null,
      },
    );
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
reportBench('startup', rows);
