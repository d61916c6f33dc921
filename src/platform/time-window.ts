const DAY_MS = 86_400_000;

export interface TimeWindow {
  days: number;
  from: Date;
  to: Date;
}

/**
 * The `days` × 24 hours that end at `now`. Instants, not calendar dates: neither the server's
 * time zone nor a daylight-saving change moves the window, so every replica agrees.
 */
export function windowEnding(now: Date, days: number): TimeWindow {
  return { days, from: new Date(now.getTime() - days * DAY_MS), to: now };
}

/** Open at the start, closed at the end, so back-to-back windows never count an event twice. */
export function isInWindow(at: Date, window: TimeWindow): boolean {
  return at.getTime() > window.from.getTime() && at.getTime() <= window.to.getTime();
}
