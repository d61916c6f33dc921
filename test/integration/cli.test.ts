import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPersonaLibrary } from '../../src/personas/library.ts';
import { freePort, runCli, startCli, waitFor, type RunningCli } from '../support/child-process.ts';

const dirs: string[] = [];
const children: RunningCli[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threads-agent-cli-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const slug = loadPersonaLibrary()[0]!.slug;

describe('the threads-agent command on the embedded database', () => {
  it('generate shows progress node by node, then the drafts', async () => {
    const { code, output } = await runCli(['generate', '--persona', slug, '--topic', 'pricing', '--variants', '2'], {
      DATA_DIR: tempDir(),
    });
    expect(output, output).toMatch(/write_hook\s+[\d.]+ ms/);
    // A variant the dedup check rejects is written again, so the attempt that persists varies with the seed.
    expect(output).toMatch(/variant 2, attempt \d+: persist\s+[\d.]+ ms/);
    expect(output).toContain('\ndone\n');
    expect(output.match(/^--- post /gm)).toHaveLength(2);
    expect(code).toBe(0);
  });

  it('says clearly what is wrong with bad arguments and settings, without a stack trace', async () => {
    const dataDir = tempDir();
    const variants = await runCli(['generate', '--persona', slug, '--variants', '0'], { DATA_DIR: dataDir });
    expect(variants.code).not.toBe(0);
    expect(variants.output).toMatch(/must be a whole number from 1 to 10/);
    const unknown = await runCli(['generate', '--persona', 'no-such-persona'], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No persona with slug "no-such-persona"');
    const env = await runCli(['all'], { DATA_DIR: dataDir, PORT: 'abc' });
    expect(env.code).toBe(2);
    expect(env.output).toMatch(/PORT/);
    // A second worker on a host, left on the first one's metrics port.
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const busy = await runCli(['worker'], { DATA_DIR: dataDir, WORKER_METRICS_PORT: String(takenPort) }).finally(() =>
      taken.close(),
    );
    expect(busy.code).toBe(2);
    expect(busy.output).toContain(`WORKER_METRICS_PORT=${takenPort}: the port is already in use`);
    for (const run of [variants, unknown, env, busy]) expect(run.output).not.toMatch(/\n\s+at /);
  });

  it('a first start that dies (port taken, then killed while linking) leaves the next start clean', async () => {
    const dataDir = tempDir();
    const token = 'ta_first-start-crash-admin-token';
    const env = { DATA_DIR: dataDir, SIM_PORT: String(await freePort()), API_ADMIN_TOKEN: token, LOG_LEVEL: 'info' };
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const blocked = await runCli(['all'], { ...env, PORT: String(takenPort) }).finally(() => taken.close());
    expect(blocked.code).toBe(2);
    expect(blocked.output).toContain(`PORT=${takenPort}: the port is already in use`);

    const port = await freePort();
    const killed = startCli(['all'], { ...env, PORT: String(port) });
    children.push(killed);
    // Killed as soon as the simulator holds its first users: some personas linked, most not.
    await waitFor(async () => (fs.existsSync(path.join(dataDir, 'threads-sim.json')) ? true : undefined), 60_000);
    killed.child.kill('SIGKILL');
    await killed.exited;

    const next = startCli(['all'], { ...env, PORT: String(port) });
    children.push(next);
    await waitFor(async () => (next.output().includes('threads-agent started') ? true : undefined), 90_000);
    const auth = { authorization: `Bearer ${token}` };
    const statuses: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = (await (
        await fetch(`http://127.0.0.1:${port}/v1/personas?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          headers: auth,
        })
      ).json()) as { data: { id: string }[]; next_cursor: string | null };
      for (const persona of page.data) {
        const res = await fetch(`http://127.0.0.1:${port}/v1/personas/${persona.id}/threads-account`, {
          headers: auth,
        });
        statuses.push(((await res.json()) as { status: string }).status);
      }
      cursor = page.next_cursor;
    }
    expect(statuses.length).toBe(loadPersonaLibrary().length);
    // The follower capture after linking uses every token: a token the simulator had lost would pause its account.
    await waitFor(async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /^followers_total\{persona="all"\} \d+$/m.test(metrics) ? true : undefined;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const after: string[] = [];
    for (const persona of (
      (await (await fetch(`http://127.0.0.1:${port}/v1/personas?limit=100`, { headers: auth })).json()) as {
        data: { id: string }[];
      }
    ).data) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/personas/${persona.id}/threads-account`, { headers: auth });
      after.push(((await res.json()) as { status: string }).status);
    }
    expect([...new Set([...statuses, ...after])]).toEqual(['active']);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 240_000);

  it('npm start: serves the API, prints the admin token once, keeps data across restarts and stops cleanly', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      SIM_PORT: String(await freePort()),
      QUEUE_POLL_SECONDS: '0.5',
    };

    const first = startCli(['all'], env);
    children.push(first);
    await waitFor(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000);
    const ready = (await (await fetch(`${base}/ready`)).json()) as { database: string };
    expect(ready.database).toBe('pglite');
    const token = await waitFor(async () => /ta_[A-Za-z0-9_-]{20,}/.exec(first.output())?.[0], 10_000);
    const auth = { authorization: `Bearer ${token}` };

    const page = (await (await fetch(`${base}/v1/personas?limit=100`, { headers: auth })).json()) as {
      data: { id: string }[];
      next_cursor: string | null;
    };
    expect(page.data).toHaveLength(100);
    expect(page.next_cursor).not.toBeNull();
    // Every shipped persona is linked to an account of the in-process Threads simulator.
    const account = (await (
      await fetch(`${base}/v1/personas/${page.data[99]!.id}/threads-account`, { headers: auth })
    ).json()) as {
      status: string;
      username: string;
    };
    expect(account.status).toBe('active');
    expect(first.output()).not.toContain('access_token');
    // Their follower counts are captured at once, so the KPIs have a baseline from the first minute.
    const followers = await waitFor(async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      return /^followers_total\{persona="all"\} (\d+)$/m.exec(metrics)?.[1];
    }, 30_000);
    expect(Number(followers)).toBeGreaterThan(0);

    const created = await fetch(`${base}/v1/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ persona_id: page.data[0]!.id }),
    });
    const { id } = (await created.json()) as { id: string };
    await waitFor(async () => {
      const task = (await (await fetch(`${base}/v1/tasks/${id}`, { headers: auth })).json()) as { status: string };
      return task.status === 'succeeded' ? true : undefined;
    }, 30_000);

    const second = startCli(['generate', '--persona', slug], { DATA_DIR: dataDir });
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toMatch(/in use by process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output().match(/ta_[A-Za-z0-9_-]{20,}/g)).toHaveLength(1);

    const restarted = startCli(['all'], env);
    children.push(restarted);
    await waitFor(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 60_000);
    const task = (await (await fetch(`${base}/v1/tasks/${id}`, { headers: auth })).json()) as { status: string };
    expect(task.status).toBe('succeeded');
    expect(restarted.output()).not.toMatch(/ta_[A-Za-z0-9_-]{20,}/);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  }, 180_000);
});
