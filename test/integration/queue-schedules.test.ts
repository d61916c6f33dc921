import { afterAll, describe, expect, it } from 'vitest';
import { installQueues } from '../../src/platform/queue/install.ts';
import { SCHEDULES } from '../../src/platform/queue/jobs.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

describe.each(DATABASE_KINDS)('the periodic jobs on %s', (kind) => {
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.close();
  });

  it('are scheduled as SCHEDULES lists them, and a schedule an earlier version made is removed', async () => {
    t = await startTestApp(kind, { worker: false });
    const { boss } = t.deps.queue;
    const scheduled = async () => (await boss.getSchedules()).map((s) => s.name).sort();
    expect(await scheduled()).toEqual(Object.keys(SCHEDULES).sort());

    // Earlier versions refreshed the KPI roll-up every minute; scrapes ask for it now.
    await boss.schedule('refresh-kpis', '* * * * *', {}, { tz: 'UTC' });
    expect(await scheduled()).toContain('refresh-kpis');
    await installQueues(t.deps.db, { retryLimit: 3, retryDelaySeconds: 1, leaseSeconds: 15 });
    expect(await scheduled()).toEqual(Object.keys(SCHEDULES).sort());
  });
});
