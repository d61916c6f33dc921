import { describe, expect, it } from 'vitest';
import { COLLECTION_WINDOW_MS, INSIGHTS_CADENCE, nextDueAt, slotAfter } from '../../src/insights/cadence.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PUBLISHED = new Date('2026-03-01T10:17:00Z');
const at = (ageMs: number) => new Date(PUBLISHED.getTime() + ageMs);
/** The rule claimDuePosts applies in SQL: a slot has passed since the last capture and the window is open. */
function due(lastAge: number | null, nowAge: number): boolean {
  const next = nextDueAt(PUBLISHED, lastAge === null ? null : at(lastAge));
  return next !== null && next.getTime() <= at(nowAge).getTime() && nowAge < COLLECTION_WINDOW_MS;
}

/** Every slot the cadence takes, found by walking it from publication. */
function allSlots(): number[] {
  const slots: number[] = [];
  for (let slot = slotAfter(0); slot !== null; slot = slotAfter(slot)) slots.push(slot);
  return slots;
}

describe('insights cadence', () => {
  it('is hourly for a day, every 6 h to day 7, daily to day 30, then stops: 71 captures', () => {
    const slots = allSlots();
    expect(slots.slice(0, 25)).toEqual([...Array.from({ length: 24 }, (_, i) => (i + 1) * HOUR), 30 * HOUR]);
    expect(slots.filter((s) => s <= DAY)).toHaveLength(24);
    expect(slots.filter((s) => s > DAY && s <= 7 * DAY)).toHaveLength(24);
    expect(slots.filter((s) => s > 7 * DAY)).toEqual(Array.from({ length: 23 }, (_, i) => (8 + i) * DAY));
    expect(slots).toHaveLength(71);
  });

  it('has spans that are whole multiples of their steps, so slots line up across steps', () => {
    let from = 0;
    for (const step of INSIGHTS_CADENCE.steps) {
      expect((step.untilMs - from) % step.everyMs).toBe(0);
      from = step.untilMs;
    }
  });

  it('makes the first capture due one hour after publication, not before', () => {
    expect(nextDueAt(PUBLISHED, null)).toEqual(at(HOUR));
    expect(due(null, 0)).toBe(false);
    expect(due(null, HOUR - 1)).toBe(false);
    expect(due(null, HOUR)).toBe(true);
  });

  it('is due again at the next slot, counted from publication rather than from a late capture', () => {
    expect(due(HOUR, HOUR)).toBe(false);
    expect(due(HOUR, 2 * HOUR - 1)).toBe(false);
    expect(due(HOUR, 2 * HOUR)).toBe(true);
    // Captured 50 minutes late: the next slot is still at 3 h, not at 3 h 50.
    expect(nextDueAt(PUBLISHED, at(2 * HOUR + 50 * 60_000))).toEqual(at(3 * HOUR));
  });

  it('switches to 6-hour slots after the first day and daily ones after the seventh', () => {
    expect(nextDueAt(PUBLISHED, at(23 * HOUR))).toEqual(at(DAY));
    expect(nextDueAt(PUBLISHED, at(DAY))).toEqual(at(DAY + 6 * HOUR));
    expect(nextDueAt(PUBLISHED, at(DAY + 1))).toEqual(at(DAY + 6 * HOUR));
    expect(nextDueAt(PUBLISHED, at(7 * DAY - 1))).toEqual(at(7 * DAY));
    expect(nextDueAt(PUBLISHED, at(7 * DAY))).toEqual(at(8 * DAY));
    expect(due(DAY, DAY + 6 * HOUR - 1)).toBe(false);
    expect(due(DAY, DAY + 6 * HOUR)).toBe(true);
  });

  it('takes missed slots as one capture, never one per slot', () => {
    // Nothing captured during the first 3 days: one capture at 3 d 2 h covers them, the next is at 3 d 6 h.
    expect(due(null, 3 * DAY + 2 * HOUR)).toBe(true);
    expect(nextDueAt(PUBLISHED, at(3 * DAY + 2 * HOUR))).toEqual(at(3 * DAY + 6 * HOUR));
  });

  it('takes the day-30 capture, late by up to one day, and nothing after it', () => {
    expect(nextDueAt(PUBLISHED, at(29 * DAY))).toEqual(at(30 * DAY));
    expect(nextDueAt(PUBLISHED, at(30 * DAY))).toBeNull();
    expect(nextDueAt(PUBLISHED, at(45 * DAY))).toBeNull();
    expect(due(29 * DAY, 30 * DAY)).toBe(true);
    expect(due(29 * DAY, 31 * DAY - 1)).toBe(true);
    expect(due(29 * DAY, 31 * DAY)).toBe(false);
    expect(due(null, 40 * DAY)).toBe(false);
    expect(due(30 * DAY, 30 * DAY + HOUR)).toBe(false);
    expect(COLLECTION_WINDOW_MS).toBe(31 * DAY);
  });

  it('treats a capture stamped before publication (clock skew) as no capture', () => {
    expect(nextDueAt(PUBLISHED, at(-5 * 60_000))).toEqual(at(HOUR));
  });
});
