import { APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { backoffMs, isProviderFailure, isTransient, retryAfterMs } from '../../src/platform/llm/provider-retry.ts';

const apiError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { message: 'x' }, undefined, new Headers(headers));

describe('provider retries', () => {
  it('reads the wait from Retry-After-Ms, Retry-After seconds, or a Retry-After date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs(apiError(429, { 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(apiError(429, { 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(apiError(429, { 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(apiError(503, { 'retry-after': 'Sat, 28 Nov 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(apiError(503, { 'retry-after': 'Sat, 28 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(apiError(429, { 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(apiError(429), now)).toBeUndefined();
    expect(retryAfterMs(new Error('x'), now)).toBeUndefined();
  });

  it('retries what a second try can fix, and obeys x-should-retry', () => {
    for (const status of [408, 409, 429, 500, 502, 503]) expect(isTransient(apiError(status))).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isTransient(apiError(status))).toBe(false);
    expect(isTransient(new APIConnectionTimeoutError())).toBe(true);
    expect(isTransient(apiError(429, { 'x-should-retry': 'false' }))).toBe(false);
    expect(isTransient(apiError(400, { 'x-should-retry': 'true' }))).toBe(true);
    expect(isTransient(new Error('empty completion'))).toBe(false);
  });

  it('counts against the breaker only what says the provider is unwell', () => {
    expect(isProviderFailure(apiError(503))).toBe(true);
    expect(isProviderFailure(apiError(429, { 'x-should-retry': 'false' }))).toBe(true);
    expect(isProviderFailure(new APIConnectionTimeoutError())).toBe(true);
    expect(isProviderFailure(apiError(409))).toBe(false);
    expect(isProviderFailure(apiError(400))).toBe(false);
  });

  it('backs off exponentially from 0.5 s to at most 8 s, less up to a quarter at random', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffMs(1, () => 0.999)).toBeCloseTo(375.1, 1);
    expect(backoffMs(2, () => 0.5)).toBe(875);
  });
});
