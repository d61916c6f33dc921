import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadLetterQueueOf, JOB_NAMES, SCHEDULES } from '../../src/platform/queue/jobs.ts';
import { K8S_DIR, ofKind, render } from '../support/kustomize.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

/** The query KEDA polls, as the prod overlay renders it. */
function kedaQuery(): string {
  const [scaledObject] = ofKind(render(path.join(K8S_DIR, 'overlays', 'prod')), 'ScaledObject');
  return scaledObject!.spec.triggers[0].metadata.query;
}

describe.each(DATABASE_KINDS)('the KEDA queue-depth query on %s', (kind) => {
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.close();
  });

  it('counts the runnable jobs of every product queue, and nothing else', async () => {
    t = await startTestApp(kind, { worker: false });
    const { boss } = t.deps.queue;
    // The cron ticks would add jobs while the test counts.
    for (const name of Object.keys(SCHEDULES)) await boss.unschedule(name);
    await t.deps.db.query('DELETE FROM pgboss.job WHERE name = ANY($1)', [JOB_NAMES]);
    const query = kedaQuery();
    const depth = async () => {
      const rows = await t!.deps.db.query<Record<string, unknown>>(query);
      return Number(Object.values(rows[0]!)[0]);
    };
    expect(await depth()).toBe(0);

    for (const [i, name] of JOB_NAMES.entries()) {
      await boss.send(name, {});
      expect(await depth(), `after a ${name} job`).toBe(i + 1);
    }
    const due = JOB_NAMES.length;

    // A job waiting for its retry counts once its delay is over.
    const retrying = (await boss.send('generate-posts', { n: 1 }))!;
    await t.deps.db.query(
      `UPDATE pgboss.job SET state = 'retry', start_after = now() - interval '1 second' WHERE id = $1`,
      [retrying],
    );
    expect(await depth()).toBe(due + 1);
    await t.deps.db.query(`UPDATE pgboss.job SET start_after = now() + interval '1 hour' WHERE id = $1`, [retrying]);
    expect(await depth()).toBe(due);

    // Neither later work, dead letters, another queue's jobs, running nor finished jobs.
    await boss.send('collect-followers', { n: 2 }, { startAfter: 3600 });
    await boss.send(deadLetterQueueOf('generate-posts'), {});
    await boss.createQueue('not-a-product-queue');
    await boss.send('not-a-product-queue', {});
    expect(await depth()).toBe(due);
    const [running] = await boss.fetch('collect-insights');
    expect(await depth()).toBe(due - 1);
    await boss.complete('collect-insights', running!.id);
    expect(await depth()).toBe(due - 1);
  });
});
