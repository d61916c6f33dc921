import type PgBoss from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { createSendBatcher } from '../../src/platform/queue/send-batcher.ts';

describe('send batcher', () => {
  it('sends the first job alone and those made while its insert is on its way together', async () => {
    const batches: PgBoss.JobInsert[][] = [];
    let release: () => void = () => {};
    const batcher = createSendBatcher(async (jobs) => {
      batches.push(jobs);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = batcher.send('q', { n: 0 });
    const rest = [1, 2, 3].map((n) => batcher.send('q', { n }));
    expect(batches.map((b) => b.length)).toEqual([1]);
    release();
    const ids = await Promise.all([first, ...rest]);
    expect(batches.map((b) => b.map((j) => (j.data as { n: number }).n))).toEqual([[0], [1, 2, 3]]);
    expect(ids).toEqual(batches.flat().map((j) => j.id));
    expect(new Set(ids).size).toBe(4);
  });

  it('fails every send of an insert that failed, and goes on with the next', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const batcher = createSendBatcher(async () => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (calls === 2) throw new Error('database away');
    });
    const first = batcher.send('q', {});
    const failing = [batcher.send('q', {}), batcher.send('q', {})];
    release();
    await first;
    for (const send of failing) await expect(send).rejects.toThrow('database away');
    await expect(batcher.send('q', {})).resolves.toMatch(/^[0-9a-f-]{36}$/);
  });
});
