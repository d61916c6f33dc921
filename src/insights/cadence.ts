const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How often a post's insights are captured as it ages: every `everyMs` until the post is `untilMs`
 * old, then the next step. Captures fall on fixed slots counted from publication (1 h, 2 h, … 24 h,
 * 30 h, … 7 d, 8 d, … 30 d), so a late run never shifts the ones after it and the number of
 * snapshots depends on the post's age alone. Each span must be a multiple of its step.
 */
export const INSIGHTS_CADENCE = {
  steps: [
    { untilMs: DAY_MS, everyMs: HOUR_MS },
    { untilMs: 7 * DAY_MS, everyMs: 6 * HOUR_MS },
    { untilMs: 30 * DAY_MS, everyMs: DAY_MS },
  ],
} as const;

const STEPS = INSIGHTS_CADENCE.steps;
const LAST = STEPS[STEPS.length - 1]!;

/** Age of the first capture. */
export const FIRST_SLOT_MS = STEPS[0].everyMs;

/**
 * A missed slot is still taken until the next one is due; the last one (day 30) likewise for one
 * more step. After this age a post is never collected again.
 */
export const COLLECTION_WINDOW_MS = LAST.untilMs + LAST.everyMs;

/** The first slot strictly after `ageMs`, or null when the cadence is over. */
export function slotAfter(ageMs: number): number | null {
  let from = 0;
  for (const step of STEPS) {
    if (ageMs < step.untilMs) {
      // At least one step on: a capture stamped before publication (clock skew) leaves the first slot due.
      const slotsIn = Math.max(1, Math.floor((ageMs - from) / step.everyMs) + 1);
      return from + slotsIn * step.everyMs;
    }
    from = step.untilMs;
  }
  return null;
}

/** When the capture after `lastCapturedAt` (or the first one) is due; null when there is none left. */
export function nextDueAt(publishedAt: Date, lastCapturedAt: Date | null): Date | null {
  const slot = lastCapturedAt === null ? FIRST_SLOT_MS : slotAfter(lastCapturedAt.getTime() - publishedAt.getTime());
  return slot === null ? null : new Date(publishedAt.getTime() + slot);
}
