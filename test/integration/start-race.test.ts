import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, waitFor, type RunningCli } from '../support/child-process.ts';

const ROUNDS = Number(process.env.START_RACE_ROUNDS ?? 10);
/** Rounds run this many at a time: the processes of a round start together, which is the race. */
const PARALLEL_ROUNDS = Number(process.env.START_RACE_PARALLEL ?? 1);

const adminUrl = process.env.DATABASE_URL;
const created: string[] = [];
const children: RunningCli[] = [];

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `ta_race_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The port the process tells in its start-up line (every role binds a port of the system's choice here). */
function readyUrlOf(run: RunningCli): Promise<string> {
  return waitFor(async () => {
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode}: ${run.output()}`);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"threads-agent started"/.exec(run.output())?.[1];
    return url;
  }, 90_000);
}

async function round(): Promise<number[]> {
  const url = await freshDatabase();
  const env = { DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  const runs = [startCli(['api'], env), startCli(['api'], env), startCli(['worker'], env), startCli(['worker'], env)];
  children.push(...runs);
  const outcome = await Promise.allSettled(
    runs.map(async (run) => (await fetch(`${await readyUrlOf(run)}/ready`)).status),
  );
  for (const run of runs) run.child.kill('SIGTERM');
  await Promise.all(runs.map((run) => run.exited));
  return outcome.map((o, i) => {
    if (o.status === 'rejected') {
      throw new Error(`process ${i} did not come up: ${String(o.reason)}\n${runs[i]!.output().slice(-2000)}`);
    }
    return o.value;
  });
}

// Several processes on one empty database needs a server; PGlite is one process's.
describe.runIf(Boolean(adminUrl))('api and worker processes started together on an empty PostgreSQL database', () => {
  afterAll(async () => {
    for (const run of children) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    await admin(async (c) => {
      for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  it(`${ROUNDS} rounds of 2 api + 2 workers: every process comes up ready`, async () => {
    const statuses: number[][] = [];
    for (let i = 0; i < ROUNDS; i += PARALLEL_ROUNDS) {
      statuses.push(...(await Promise.all(Array.from({ length: PARALLEL_ROUNDS }, () => round()))));
    }
    expect(statuses).toEqual(Array.from({ length: ROUNDS }, () => [200, 200, 200, 200]));
  }, 900_000);
});
