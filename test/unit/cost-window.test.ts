import { describe, expect, it } from 'vitest';
import { type CostSpan, planCostWindow } from '../../src/kpis/costs.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.parse('2026-11-30T00:00:00Z');

/** How many times the spans count the instant `t`: a sound plan counts it once inside the window, never outside. */
const coverage = (spans: CostSpan[], t: number) =>
  spans.reduce((n, s) => n + (t >= s.from && t < s.to ? s.sign : 0), 0);
const length = (spans: CostSpan[], source: CostSpan['source']) =>
  spans.filter((s) => s.source === source).reduce((ms, s) => ms + s.to - s.from, 0);

describe('planCostWindow', () => {
  it('covers every instant of a window once and nothing outside it, for windows of every length and alignment', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let i = 0; i < 300; i++) {
      const from = MONDAY - Math.floor(random() * 90 * DAY);
      const to = from + Math.floor(random() ** 2 * 60 * DAY);
      const spans = planCostWindow(from, to);
      for (let k = 0; k < 40; k++) {
        const t = from - 8 * DAY + Math.floor(random() * (to - from + 16 * DAY));
        expect({ from, to, t, covered: coverage(spans, t) }).toEqual({
          from,
          to,
          t,
          covered: t >= from && t < to ? 1 : 0,
        });
      }
      for (const edge of [from - 1, from, to - 1, to]) {
        expect(coverage(spans, edge)).toBe(edge >= from && edge < to ? 1 : 0);
      }
    }
  });

  it('reads whole weeks, at most half a week of days at each end and at most half a day of calls', () => {
    const from = MONDAY - 30 * DAY + 15 * HOUR;
    const spans = planCostWindow(from, MONDAY + 2 * DAY + 9 * HOUR);
    expect(length(spans, 'llm_costs_weekly')).toBeGreaterThanOrEqual(4 * 7 * DAY);
    expect(length(spans, 'llm_costs_daily')).toBeLessThanOrEqual(7 * DAY);
    expect(length(spans, 'llm_calls')).toBeLessThanOrEqual(DAY);
    expect(spans.filter((s) => s.source === 'llm_calls').every((s) => s.to - s.from <= DAY / 2)).toBe(true);
  });

  it('reads a window shorter than a day from the calls alone, and an empty one not at all', () => {
    expect(planCostWindow(MONDAY + HOUR, MONDAY + 5 * HOUR)).toEqual([
      { source: 'llm_calls', from: MONDAY + HOUR, to: MONDAY + 5 * HOUR, sign: 1 },
    ]);
    expect(planCostWindow(MONDAY, MONDAY)).toEqual([]);
  });
});
