import { describe, expect, it } from 'vitest';
import { isAutoApproved } from '../../src/posts/publishing/auto-approval.ts';
import { deferQueue, nextFreeSlot, spreadSlots } from '../../src/posts/publishing/publish-slots.ts';

const at = (iso: string) => new Date(iso);
const now = at('2025-03-10T12:00:00Z');

describe('publishing slots', () => {
  it('is now for a persona with nothing scheduled or published', () => {
    expect(nextFreeSlot({ latest: null, now, minGapMinutes: 60 })).toEqual(now);
  });

  it('keeps the gap after the latest post, and is never in the past', () => {
    expect(nextFreeSlot({ latest: at('2025-03-10T11:30:00Z'), now, minGapMinutes: 60 })).toEqual(
      at('2025-03-10T12:30:00Z'),
    );
    expect(nextFreeSlot({ latest: at('2025-03-10T09:00:00Z'), now, minGapMinutes: 60 })).toEqual(now);
    expect(nextFreeSlot({ latest: at('2025-03-10T15:00:00Z'), now, minGapMinutes: 90 })).toEqual(
      at('2025-03-10T16:30:00Z'),
    );
  });

  it('spreads several posts one gap apart after the latest', () => {
    expect(spreadSlots({ latest: at('2025-03-10T11:50:00Z'), now, minGapMinutes: 60, count: 3 })).toEqual([
      at('2025-03-10T12:50:00Z'),
      at('2025-03-10T13:50:00Z'),
      at('2025-03-10T14:50:00Z'),
    ]);
    expect(spreadSlots({ latest: null, now, minGapMinutes: 30, count: 2 })).toEqual([now, at('2025-03-10T12:30:00Z')]);
    expect(spreadSlots({ latest: null, now, minGapMinutes: 30, count: 0 })).toEqual([]);
  });
});

describe('auto approval', () => {
  it('approves only in auto mode, at or above the persona threshold or else the default', () => {
    const auto = { approval_mode: 'auto' as const, auto_approve_min_score: 0.7 };
    expect(isAutoApproved(auto, 0.7, 0.5)).toBe(true);
    expect(isAutoApproved(auto, 0.69, 0.5)).toBe(false);
    expect(isAutoApproved({ ...auto, auto_approve_min_score: null }, 0.55, 0.5)).toBe(true);
    expect(isAutoApproved({ ...auto, auto_approve_min_score: null }, 0.45, 0.5)).toBe(false);
    expect(isAutoApproved({ ...auto, approval_mode: 'manual' }, 0.99, 0.1)).toBe(false);
    expect(isAutoApproved(auto, null, 0)).toBe(false);
  });
});

describe('deferQueue', () => {
  const min = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);
  it('moves due posts past the quota wait, keeps the gap, and leaves later posts alone', () => {
    const times = [min(0), min(60), min(120), min(400)];
    expect(deferQueue(times, min(90), 60)).toEqual([min(90), min(150), min(210), min(400)]);
  });
  it('changes nothing when every post is already after the wait', () => {
    expect(deferQueue([min(100), min(200)], min(90), 60)).toEqual([min(100), min(200)]);
  });
  it('pushes a later post when the moved ones would crowd it', () => {
    expect(deferQueue([min(0), min(10), min(100)], min(60), 60)).toEqual([min(60), min(120), min(180)]);
  });
});
