// CPU an idle `npm start` (threads-agent all: PGlite, embedded simulator, API and worker in one process)
// uses, read from /proc/<pid>/stat over a window, against a bare node:http server measured the same way
// in the same run. Target: at most 0.5% of a core.
// Run: npx tsx bench/idle.ts [seconds] [--scale]
//   The first 90 s after the product answers are its start's aftermath, reported on their own; the idle
//   window follows: default 180 s (three minute ticks), 600 s with --scale (every periodic job at least once).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isScaleRun, numberArg, reportBench } from './bench-result.ts';

const WINDOW_S = numberArg(isScaleRun() ? 600 : 180);
/**
 * A first start leaves work behind for about a minute: V8's memory reducer compacts the start's
 * garbage (50–75 s after the process starts, ~110 ms of CPU, the heap 90 → 52 MB) and the lease keeper's first
 * whole look runs. Idle is what follows; the aftermath is reported apart.
 */
const AFTERMATH_S = 90;
const SAMPLE_S = 5;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const PORT = 4601;
const SIM_PORT = 4602;
const BARE_PORT = 4603;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of the process, in seconds. */
function cpuSeconds(pid: number): number {
  // The command name may hold spaces: the fields after the last ')' are fixed.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** CPU over `seconds` and the largest RSS seen (sampled every few seconds). */
async function measure(pid: number, seconds: number): Promise<{ cpuPercent: number; peakRss: number }> {
  const before = cpuSeconds(pid);
  let peakRss = rssMb(pid);
  for (let waited = 0; waited < seconds; waited += SAMPLE_S) {
    await sleep(Math.min(SAMPLE_S, seconds - waited) * 1000);
    peakRss = Math.max(peakRss, rssMb(pid));
  }
  return { cpuPercent: ((cpuSeconds(pid) - before) / seconds) * 100, peakRss };
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`nothing answered on port ${port}`);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-idle-'));
const product = spawn(process.execPath, ['bin/threads-agent.mjs', 'all'], {
  env: {
    ...process.env,
    DATABASE_URL: '',
    DATA_DIR: dataDir,
    PORT: String(PORT),
    SIM_PORT: String(SIM_PORT),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const bare = spawn(
  process.execPath,
  ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${BARE_PORT}, '127.0.0.1')`],
  { stdio: 'ignore' },
);
try {
  await Promise.all([waitForHealth(PORT), waitForHealth(BARE_PORT)]);
  const [aftermath, bareAftermath] = await Promise.all([
    measure(product.pid!, AFTERMATH_S),
    measure(bare.pid!, AFTERMATH_S),
  ]);
  const [p, b] = await Promise.all([measure(product.pid!, WINDOW_S), measure(bare.pid!, WINDOW_S)]);
  const line = (name: string, m: { cpuPercent: number; peakRss: number }) =>
    `${name.padEnd(40)} | ${m.cpuPercent.toFixed(2).padStart(6)} | ${m.peakRss.toFixed(0).padStart(11)}`;
  console.log(`% of one core; RSS: the largest seen, sampled every ${SAMPLE_S} s\n`);
  console.log(`${'process, stretch'.padEnd(40)} | CPU %  | peak RSS MB`);
  console.log(line(`npm start, first ${AFTERMATH_S} s after ready`, aftermath));
  console.log(line(`bare node:http, the same ${AFTERMATH_S} s`, bareAftermath));
  console.log(line(`npm start, idle: the next ${WINDOW_S} s`, p));
  console.log(line(`bare node:http, the same ${WINDOW_S} s`, b));
  console.log(
    `\ntarget ≤ 0.5%: ${p.cpuPercent <= 0.5 ? 'met' : 'not met'}; ≤ 300 MB: ${p.peakRss <= 300 ? 'met' : 'not met'}`,
  );
  reportBench('idle', [
    {
      figure: `npm start idle CPU over ${WINDOW_S} s after the start's first ${AFTERMATH_S} s, PGlite`,
      value: p.cpuPercent,
      unit: '% of a core',
      baseline: `bare node:http ${b.cpuPercent.toFixed(2)} %`,
      ratio: b.cpuPercent > 0 ? p.cpuPercent / b.cpuPercent : null,
      target: '≤ 0.5 %',
      met: p.cpuPercent <= 0.5,
    },
    {
      figure: `npm start idle RSS, largest over those ${WINDOW_S} s, PGlite`,
      value: p.peakRss,
      unit: 'MB',
      baseline: `bare node:http ${b.peakRss.toFixed(0)} MB`,
      ratio: p.peakRss / b.peakRss,
      target: '≤ 300 MB',
      met: p.peakRss <= 300,
    },
    {
      figure: `npm start CPU in its first ${AFTERMATH_S} s after ready (largest RSS ${aftermath.peakRss.toFixed(0)} MB)`,
      value: aftermath.cpuPercent,
      unit: '% of a core',
      baseline: `bare node:http ${bareAftermath.cpuPercent.toFixed(2)} %`,
      ratio: bareAftermath.cpuPercent > 0 ? aftermath.cpuPercent / bareAftermath.cpuPercent : null,
      target: null,
      met: null,
    },
  ]);
} finally {
  product.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => product.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
