import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningCli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs `threads-agent <args>` as a real process, collecting stdout and stderr. A worker binds a free
 * port of the system's choosing unless told otherwise, so test files running side by side never clash.
 */
export function startCli(args: string[], env: Record<string, string>, entry = 'bin/threads-agent.mjs'): RunningCli {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: process.cwd(),
    // The sources, as edited, not the dist/ of the last install (test/integration/compiled-cli.test.ts runs a build).
    env: {
      ...process.env,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
      THREADS_AGENT_FROM_SOURCE: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000, entry?: string) {
  const run = startCli(args, env, entry);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, output: run.output() };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
