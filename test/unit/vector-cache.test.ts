import { describe, expect, it } from 'vitest';
import { decodeFloat4s } from '../../src/posts/vector-store.ts';
import { createVectorCache } from '../../src/posts/vector-cache.ts';

describe('vector cache', () => {
  it('serves a vector only for the model it was read for, and forgets a rewritten post', () => {
    const cache = createVectorCache(10);
    cache.set('m1', 'p1', Float32Array.of(1, 2));
    expect(cache.get('m1', 'p1')).toEqual(Float32Array.of(1, 2));
    expect(cache.get('m2', 'p1')).toBeUndefined();
    cache.forget('p1');
    expect(cache.get('m1', 'p1')).toBeUndefined();
  });

  it('drops the least recently used entry beyond its bound', () => {
    const cache = createVectorCache(2);
    cache.set('m', 'a', Float32Array.of(1));
    cache.set('m', 'b', Float32Array.of(2));
    cache.get('m', 'a');
    cache.set('m', 'c', Float32Array.of(3));
    expect(cache.size).toBe(2);
    expect(cache.get('m', 'b')).toBeUndefined();
    expect(cache.get('m', 'a')).toEqual(Float32Array.of(1));
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
