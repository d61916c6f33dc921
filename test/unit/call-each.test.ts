import { describe, expect, it } from 'vitest';
import { callEach } from '../../src/generation/workflow/metered-call.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('callEach', () => {
  it('starts every call before any ends and returns the results in item order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await callEach(['a', 'b', 'c'], async (item, index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // The first item finishes last: the order of the results is the items', not the finishing order.
      for (let i = 0; i < 3 - index; i++) await tick();
      inFlight -= 1;
      return `${item}${index}`;
    });
    expect(most).toBe(3);
    expect(results).toEqual(['a0', 'b1', 'c2']);
  });

  it('lets every call settle, then throws the first failure in item order', async () => {
    const settled: number[] = [];
    const run = callEach([0, 1, 2], async (item) => {
      for (let i = 0; i < 3 - item; i++) await tick();
      settled.push(item);
      if (item > 0) throw new Error(`call ${item} failed`);
      return item;
    });
    await expect(run).rejects.toThrow('call 1 failed');
    expect(settled.sort()).toEqual([0, 1, 2]);
  });
});
