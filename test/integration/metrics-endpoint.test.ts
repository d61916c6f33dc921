import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_NODES } from '../../src/generation/workflow/persona-graph.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe.each(DATABASE_KINDS)('GET /metrics on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('shows the backbone metrics moving with the work done, with bounded labels', async () => {
    const persona = await t.createPersona();
    const { id } = (await (
      await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id, variants: 2 }) })
    ).json()) as { id: string };
    await readSse(await t.api(`/v1/tasks/${id}/events`));
    const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { post_ids: string[] };
    const accepted = await t.deps.db.query(`SELECT 1 FROM posts WHERE task_id = $1 AND status = 'draft'`, [id]);

    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();

    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/tasks\/:id"/);
    for (const node of [...GRAPH_NODES, 'total']) {
      expect(text).toContain(`content_generation_latency_seconds_count{node="${node}"}`);
    }
    const acceptedLine = new RegExp(
      `posts_generated_total\\{persona="${persona.slug}",outcome="accepted"\\} (\\d+)`,
    ).exec(text);
    expect(Number(acceptedLine?.[1])).toBe(accepted.length);
    expect(task.post_ids).toHaveLength(2);
    expect(text).toMatch(/queue_jobs\{queue="generate-posts",state="created"\} \d+/);
    expect(text).toMatch(/queue_jobs\{queue="generate-posts",state="dead_letter"\} 0/);
    expect(text).toMatch(/jobs_processed_total\{queue="generate-posts",outcome="completed"\} 1/);
    expect(text).toMatch(/job_duration_seconds_count\{queue="generate-posts"\} 1/);
    expect(text).toMatch(/db_pool_connections\{state="total"\} \d+/);
    expect(text).toContain('process_cpu_seconds_total');

    for (const line of text.split('\n').filter((l) => l.includes('{'))) {
      expect(line, line).not.toMatch(UUID);
    }
  });

  it('still answers with the process metrics when the KPI queries fail', async () => {
    await t.deps.db.exec('ALTER TABLE revenue_events RENAME TO revenue_events_away');
    try {
      const res = await fetch(`${t.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('process_cpu_seconds_total');
      expect(text).toContain('http_request_duration_seconds_bucket');
    } finally {
      await t.deps.db.exec('ALTER TABLE revenue_events_away RENAME TO revenue_events');
    }
  });
});
