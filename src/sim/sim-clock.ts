/** Every time-dependent rule of the simulator reads this; `advance` lets tests and demos move time on. */
export interface SimClock {
  now(): number;
  advance?(ms: number): void;
}

/** Time stands still until advanced: for tests. */
export function createManualClock(startMs: number = Date.UTC(2025, 0, 6, 9, 0, 0)) {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
      now += ms;
    },
  };
}

/**
 * Wall-clock time, optionally running `speed` times faster, plus whatever was advanced by hand:
 * for demos, where posts should earn their views while you watch.
 */
export function createOffsetClock(options: { speed?: number; now?: () => number } = {}) {
  const wall = options.now ?? Date.now;
  const speed = options.speed ?? 1;
  const started = wall();
  let offset = 0;
  return {
    now: () => started + (wall() - started) * speed + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
      offset += ms;
    },
  };
}
