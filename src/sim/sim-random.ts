import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The simulator's own randomness. It shares nothing with the product's generators, so nothing the
 * product draws can line up with what the simulated audience draws.
 */
export type Random = () => number;

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(rng);
}

/** 32-bit FNV-1a, to turn a seed and labels into a new seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seed for one stream (a post's noise, an account's taste, an id), so streams never replay each other. */
export function deriveSeed(seed: number, ...parts: readonly string[]): number {
  return hash([String(seed), ...parts].join('\u0000'));
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick() needs at least one item');
  return items[Math.floor(rng() * items.length)] as T;
}

export function uniform(rng: Random, lo: number, hi: number): number {
  return lo + rng() * (hi - lo);
}

/** Standard normal (Box–Muller). */
export function normal(rng: Random): number {
  const u = Math.max(rng(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Log-normal multiplier with mean 1. */
export function lognormalNoise(rng: Random, sigma: number): number {
  return Math.exp(sigma * normal(rng) - (sigma * sigma) / 2);
}

/** A count with mean `lambda`: exact for small means (where the noise matters), normal beyond. */
export function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = rng(); p > limit; p *= rng()) k++;
  return k;
}

/** k distinct items in random order (partial Fisher–Yates on a copy). */
export function sample<T>(rng: Random, items: readonly T[], k: number): T[] {
  const copy = [...items];
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}
