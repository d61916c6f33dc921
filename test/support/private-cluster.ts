import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VERSION = '15';
/** The ports fault tests may give their own clusters (never the shared server's 5432). */
const PORTS = [5501, 5502, 5503, 5504, 5505, 5506, 5507, 5508, 5509];

export const CLUSTER_TOOLS_MISSING = existsSync('/usr/bin/pg_createcluster')
  ? null
  : 'pg_createcluster (Debian postgresql-common) is not installed: the database restart test needs a cluster of its own';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

export interface PrivateCluster {
  url: string;
  /** `pg_ctlcluster restart`: a fast shutdown, then a start. */
  restart(): Promise<void>;
  /** `stop -m immediate`: every backend killed at once, as in a crash; recovery runs on the next start. */
  stopImmediately(): Promise<void>;
  start(): Promise<void>;
  drop(): Promise<void>;
}

/** A PostgreSQL 15 cluster of the test's own, on a free port of its range, trusting local connections. */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const name = `ta_fault_${randomBytes(4).toString('hex')}`;
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  const taken = new Set(stdout.split('\n').map((line) => Number(line.split(/\s+/)[2])));
  let port: number | undefined;
  for (const candidate of PORTS) if (!taken.has(candidate) && (await portFree(candidate))) port ??= candidate;
  if (port === undefined) throw new Error(`no free port among ${PORTS.join(', ')} for a private cluster`);
  // fsync off: crashes here are of processes, not of the machine, so what the kernel has is enough.
  await run('pg_createcluster', [VERSION, name, '--port', String(port), '-o', 'fsync=off', '--', '--auth=trust']);
  const ctl = (...args: string[]) => run('pg_ctlcluster', [VERSION, name, ...args]).then(() => {});
  await ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('restart'),
    stopImmediately: () => ctl('stop', '-m', 'immediate'),
    start: () => ctl('start'),
    drop: () => run('pg_dropcluster', [VERSION, name, '--stop']).then(() => {}),
  };
}
