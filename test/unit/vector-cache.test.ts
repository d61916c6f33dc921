import { describe, expect, it } from 'vitest';
import { decodeFloat4s } from '../../src/posts/vector-store.ts';
import { createVectorCache } from '../../src/posts/vector-cache.ts';

describe('vector cache', () => {
  it('serves a vector only for the model it was read for, with its persona and norm', () => {
    const cache = createVectorCache(10);
    cache.set('m1', 'p1', 'persona', Float32Array.of(3, 4));
    expect(cache.get('m1', 'p1')).toMatchObject({ vector: Float32Array.of(3, 4), personaId: 'persona', norm: 5 });
    expect(cache.get('m2', 'p1')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its bound', () => {
    const cache = createVectorCache(2);
    cache.set('m', 'a', 'x', Float32Array.of(1));
    cache.set('m', 'b', 'x', Float32Array.of(2));
    cache.get('m', 'a');
    cache.set('m', 'c', 'x', Float32Array.of(3));
    expect(cache.size).toBe(2);
    expect(cache.get('m', 'b')).toBeUndefined();
    expect(cache.get('m', 'a')?.vector).toEqual(Float32Array.of(1));
  });

  it('makes room a tenth of its bound at a time, least recently used first', () => {
    const cache = createVectorCache(20);
    for (let i = 0; i < 20; i++) cache.set('m', `k${i}`, 'x', Float32Array.of(i));
    for (let i = 0; i < 10; i++) cache.get('m', `k${i}`);
    cache.set('m', 'new', 'x', Float32Array.of(0));
    expect(cache.size).toBe(18);
    const kept = Array.from({ length: 20 }, (_, i) => `k${i}`).filter((k) => cache.get('m', k));
    expect(kept).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `k${i}`),
      ...Array.from({ length: 7 }, (_, i) => `k${i + 13}`),
    ]);
  });
});

describe('decodeFloat4s', () => {
  it('reads float4s in network byte order, as float4send writes them, at any byte offset', () => {
    const bytes = Buffer.alloc(13);
    bytes.writeFloatBE(0.5, 1);
    bytes.writeFloatBE(-3.25, 5);
    bytes.writeFloatBE(1e-3, 9);
    expect(Array.from(decodeFloat4s(bytes.subarray(1)))).toEqual([0.5, -3.25, Math.fround(1e-3)]);
  });
});
