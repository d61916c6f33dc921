import { afterEach, describe, expect, it } from 'vitest';
import { readSse } from '../support/sse.ts';
import { scriptedModel } from '../support/scripted-model.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

async function metricValue(t: TestApp, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await t.deps.metrics.registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe.each(DATABASE_KINDS)('failing jobs on %s', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('retries a job that always fails, then dead-letters it with its error', async () => {
    const model = scriptedModel({
      hook: () => {
        throw new Error('provider down');
      },
      body: () => 'unused',
    });
    // One candidate per attempt: the learning loop writes its candidates at once, so three would fail together.
    t = await startTestApp(kind, { env: { JOB_RETRY_LIMIT: '1', LEARNING_CANDIDATES: '1' }, overrides: { model } });
    const persona = await t.createPersona();
    const { id } = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) })
    ).json()) as { id: string };

    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data.message).toContain('provider down');
    expect(events.filter((e) => e.event === 'task_started')).toHaveLength(2);

    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { status: string; error: string; runs: number };
    expect(task).toMatchObject({ status: 'failed', runs: 2 });
    expect(task.error).toContain('provider down');

    // pg-boss moves the job after its last failure; poll briefly for it.
    const deadline = Date.now() + 10_000;
    let dead = 0;
    while (Date.now() < deadline) {
      const counts = await t.deps.queue.countJobs();
      dead = counts.find((c) => c.queue === 'generate-posts' && c.state === 'dead_letter')?.count ?? 0;
      if (dead > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(dead).toBe(1);
    const [row] = await t.deps.db.query<{ data: { taskId: string } }>(
      `SELECT data FROM pgboss.job WHERE name = 'generate-posts-dead-letter'`,
    );
    expect(row!.data.taskId).toBe(id);

    expect(await metricValue(t, 'jobs_processed_total', { queue: 'generate-posts', outcome: 'retry' })).toBe(1);
    expect(await metricValue(t, 'jobs_processed_total', { queue: 'generate-posts', outcome: 'dead_letter' })).toBe(1);
    const calls = await t.deps.db.query<{ outcome: string; error: string }>(
      'SELECT outcome, error FROM llm_calls WHERE task_id = $1',
      [id],
    );
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.outcome === 'error' && c.error.includes('provider down'))).toBe(true);
  });

  it('succeeds on the retry after one failure, without duplicate posts', async () => {
    let failed = false;
    const model = scriptedModel({
      hook: (call) => `What would you change about onboarding emails, test ${call}?`,
      body: () => {
        if (!failed) {
          failed = true;
          throw new Error('flaky');
        }
        return 'Start with 3 emails. Measure activation at day 7. What is your current trial conversion?';
      },
    });
    t = await startTestApp(kind, { env: { JOB_RETRY_LIMIT: '2', QUALITY_MIN_SCORE: '0' }, overrides: { model } });
    const persona = await t.createPersona();
    const { id } = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id, variants: 2 }) })
    ).json()) as { id: string };
    const events = await readSse(await t.api(`/v1/tasks/${id}/events`));
    expect(events.at(-1)!.event).toBe('done');
    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as {
      status: string;
      runs: number;
      post_ids: string[];
    };
    expect(task).toMatchObject({ status: 'succeeded', runs: 2 });
    expect(task.post_ids).toHaveLength(2);
    const steps = (await (await t.api(`/v1/tasks/${id}`)).json()) as { steps: { status: string; error?: string }[] };
    expect(steps.steps.some((s) => s.status === 'error' && s.error === 'flaky')).toBe(true);
  });
});
