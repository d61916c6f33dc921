// CPU an idle `npm start` (threads-agent all: PGlite, embedded simulator, API and worker in one process)
// uses, read from /proc/<pid>/stat over a window, against a bare node:http server measured the same way
// in the same run. Target: at most 0.5% of a core.
// Run: npx tsx bench/idle.ts [seconds]   (default 60; after a 30 s settle for the first start's work)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numberArg, reportBench } from './bench-result.ts';

const WINDOW_S = numberArg(60);
const SETTLE_S = 30;
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

async function measure(pid: number): Promise<{ cpuPercent: number; rss: number }> {
  const before = cpuSeconds(pid);
  await sleep(WINDOW_S * 1000);
  return { cpuPercent: ((cpuSeconds(pid) - before) / WINDOW_S) * 100, rss: rssMb(pid) };
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
  await sleep(SETTLE_S * 1000);
  const [p, b] = await Promise.all([measure(product.pid!), measure(bare.pid!)]);
  console.log(`idle CPU over ${WINDOW_S} s (after ${SETTLE_S} s settling), % of one core\n`);
  console.log('process                          | CPU %  | RSS MB');
  console.log(
    `npm start (all, PGlite)          | ${p.cpuPercent.toFixed(2).padStart(6)} | ${p.rss.toFixed(0).padStart(6)}`,
  );
  console.log(
    `bare node:http server (baseline) | ${b.cpuPercent.toFixed(2).padStart(6)} | ${b.rss.toFixed(0).padStart(6)}`,
  );
  console.log(`\ntarget ≤ 0.5%: ${p.cpuPercent <= 0.5 ? 'met' : 'not met'}`);
  reportBench('idle', [
    {
      figure: `npm start idle CPU over ${WINDOW_S} s, PGlite`,
      value: p.cpuPercent,
      unit: '% of a core',
      baseline: `bare node:http ${b.cpuPercent.toFixed(2)} %`,
      ratio: b.cpuPercent > 0 ? p.cpuPercent / b.cpuPercent : null,
      target: '≤ 0.5 %',
      met: p.cpuPercent <= 0.5,
    },
    {
      figure: `npm start idle RSS after ${WINDOW_S} s, PGlite`,
      value: p.rss,
      unit: 'MB',
      baseline: `bare node:http ${b.rss.toFixed(0)} MB`,
      ratio: p.rss / b.rss,
      target: '≤ 300 MB',
      met: p.rss <= 300,
    },
  ]);
} finally {
  product.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => product.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
