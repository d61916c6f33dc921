import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitFor, type RunningCli } from '../support/child-process.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TASKS = 200;

function startWorker(dbUrl: string): RunningCli {
  // Its metrics port is the system's choice (startCli's default), which the start-up log line tells.
  return startCli(['worker'], {
    DATABASE_URL: dbUrl,
    QUEUE_POLL_SECONDS: '0.5',
    WORKER_CONCURRENCY: '2',
    LOG_LEVEL: 'info',
  });
}

function metricsPortOf(worker: RunningCli): Promise<number> {
  const started = waitFor(async () => {
    const url = /"url":"http:\/\/127\.0\.0\.1:(\d+)".*"msg":"threads-agent started"/.exec(worker.output());
    return url ? Number(url[1]) : undefined;
  }, 60_000);
  return new Promise((resolve, reject) => {
    started.then(resolve, reject);
    // After the start this comes too late to matter: a settled promise ignores it.
    void worker.exited.then((code) =>
      reject(new Error(`worker exited with ${code} before it started: ${worker.output()}`)),
    );
  });
}

// Several processes sharing one queue needs a database server; PGlite is one process's.
describe.runIf(Boolean(process.env.DATABASE_URL))('two worker processes on PostgreSQL', () => {
  let t: TestApp;
  const workers: RunningCli[] = [];
  beforeAll(async () => {
    t = await startTestApp('postgres', { worker: false });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await t?.close();
  });

  it(`takes ${TASKS} tasks with none lost and none run twice`, async () => {
    const persona = await t.createPersona();
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i++) {
      const res = await t.api('/v1/tasks', {
        method: 'POST',
        body: JSON.stringify({ persona_id: persona.id, topic: `weekly metrics review ${i}` }),
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    workers.push(startWorker(t.dbUrl!), startWorker(t.dbUrl!));
    const metricsPorts = await Promise.all(workers.map(metricsPortOf));

    const deadline = Date.now() + 150_000;
    let done = 0;
    while (Date.now() < deadline) {
      const [row] = await t.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM tasks WHERE status IN ('succeeded', 'failed')`,
      );
      done = row!.n;
      if (done === TASKS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(done).toBe(TASKS);

    const tasks = await t.deps.db.query<{ id: string; status: string; runs: number; error: string | null }>(
      'SELECT id, status, runs, error FROM tasks',
    );
    expect(tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
    // Each ran once, to its end: succeeded, or refused by the writing gate (one persona on 200 near-identical
    // topics repeats itself), never failed by the queue.
    const ended = (task: (typeof tasks)[number]) =>
      task.status === 'succeeded' || (task.status === 'failed' && /^no acceptable draft/.test(task.error ?? ''));
    expect(tasks.filter((task) => !ended(task) || task.runs !== 1)).toEqual([]);
    expect(tasks.some((task) => task.status === 'succeeded')).toBe(true);

    const starts = await t.deps.db.query<{ task_id: string; worker: string }>(
      `SELECT task_id, data->>'worker' AS worker FROM task_events WHERE type = 'task_started'`,
    );
    expect(starts).toHaveLength(TASKS);
    expect(new Set(starts.map((s) => s.task_id)).size).toBe(TASKS);
    const byWorker = new Map<string, number>();
    for (const s of starts) byWorker.set(s.worker, (byWorker.get(s.worker) ?? 0) + 1);
    expect(byWorker.size).toBe(2);

    const [posts] = await t.deps.db.query<{ n: number; tasks: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS tasks FROM posts',
    );
    expect(posts).toEqual({ n: TASKS, tasks: TASKS });

    // Each worker serves its own /metrics; together their job counters account for every task.
    const handled = await Promise.all(
      metricsPorts.map(async (port) => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const line = /^jobs_processed_total\{queue="generate-posts",outcome="completed"\} (\d+)$/m.exec(metrics);
        return Number(line?.[1] ?? 0);
      }),
    );
    expect(handled.every((n) => n > 0)).toBe(true);
    expect(handled[0]! + handled[1]!).toBe(TASKS);
    expect((await fetch(`http://127.0.0.1:${metricsPorts[0]}/ready`)).status).toBe(200);

    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
  }, 200_000);
});
