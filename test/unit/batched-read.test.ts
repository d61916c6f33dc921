import { describe, expect, it } from 'vitest';
import { batchedRead } from '../../src/platform/db/batched-read.ts';

/** A load whose statements are held until released, recording the keys each was given. */
function heldLoad(answer: (key: string) => string | undefined = (key) => `value of ${key}`) {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const load = async (keys: string[]) => {
    batches.push(keys);
    await new Promise<void>((resolve) => releases.push(resolve));
    return new Map(keys.flatMap((key) => (answer(key) === undefined ? [] : [[key, answer(key)!] as const])));
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { batches, releases, load, settle };
}

describe('batched read', () => {
  it('reads the first key at once and those asked meanwhile together, each distinct key once', async () => {
    const { batches, releases, load, settle } = heldLoad();
    const read = batchedRead(load);
    const first = read('a');
    await settle();
    expect(batches).toEqual([['a']]);
    const rest = ['b', 'c', 'b', 'a'].map((key) => read(key));
    await settle();
    // Asked while a statement is on its way: they wait for the next one instead of joining it.
    expect(batches).toEqual([['a']]);
    releases[0]!();
    expect(await first).toBe('value of a');
    await settle();
    expect(batches).toEqual([['a'], ['b', 'c', 'a']]);
    releases[1]!();
    expect(await Promise.all(rest)).toEqual(['value of b', 'value of c', 'value of b', 'value of a']);
  });

  it('answers undefined for a key the load left out', async () => {
    const { releases, load, settle } = heldLoad((key) => (key === 'missing' ? undefined : key));
    const read = batchedRead(load);
    const both = Promise.all([read('missing'), read('there')]);
    await settle();
    releases[0]!();
    expect(await both).toEqual([undefined, 'there']);
  });

  it('fails every read of a batch whose load failed, and goes on with the next', async () => {
    let calls = 0;
    const read = batchedRead(async (keys: string[]) => {
      calls++;
      if (calls === 1) throw new Error('database away');
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    await expect(Promise.all([read('a'), read('b')])).rejects.toThrow('database away');
    await expect(read('c')).resolves.toBe('C');
  });

  it('keys objects by keyOf, so equal queries share one answer', async () => {
    const seen: { limit: number }[][] = [];
    const read = batchedRead(
      async (queries: { limit: number }[]) => {
        seen.push(queries);
        return new Map(queries.map((q) => [JSON.stringify(q), q.limit * 10]));
      },
      (query) => JSON.stringify(query),
    );
    expect(await Promise.all([read({ limit: 2 }), read({ limit: 2 }), read({ limit: 3 })])).toEqual([20, 20, 30]);
    expect(seen).toEqual([[{ limit: 2 }, { limit: 3 }]]);
  });
});
