const MINUTE_MS = 60_000;

export interface SlotInput {
  /** The persona's latest scheduled or published post time; null when it has none. */
  latest: Date | null;
  now: Date;
  minGapMinutes: number;
}

/** The first time the persona may publish again: minGap after its latest post, and never in the past. */
export function nextFreeSlot({ latest, now, minGapMinutes }: SlotInput): Date {
  const afterLatest = latest ? latest.getTime() + minGapMinutes * MINUTE_MS : -Infinity;
  return new Date(Math.max(now.getTime(), afterLatest));
}

/** Slots for `count` approved posts, in the order given: each one minGap after the one before. */
export function spreadSlots(input: SlotInput & { count: number }): Date[] {
  const slots: Date[] = [];
  let latest = input.latest;
  for (let i = 0; i < input.count; i++) {
    latest = nextFreeSlot({ ...input, latest });
    slots.push(latest);
  }
  return slots;
}

/**
 * The persona's queue after the account cannot publish before `from` (quota used up): each scheduled
 * time, in order, moves to no earlier than `from` and no closer than minGap to the one before; times
 * already far enough out stay as they are.
 */
export function deferQueue(times: readonly Date[], from: Date, minGapMinutes: number): Date[] {
  const deferred: Date[] = [];
  for (const time of times) {
    const previous = deferred.at(-1);
    const earliest = previous ? previous.getTime() + minGapMinutes * MINUTE_MS : from.getTime();
    deferred.push(new Date(Math.max(time.getTime(), earliest)));
  }
  return deferred;
}
