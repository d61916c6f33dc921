/**
 * Counts open streams per key (an API token's hash) in this process; past `max` a new one is
 * refused. Each API replica counts its own, so behind a load balancer a token may hold `max` per
 * replica.
 */
export function createStreamLimiter(max: number) {
  const open = new Map<string, number>();
  return {
    max,
    /** A release function when the key may open one more stream, null when it is at the cap. */
    tryAcquire(key: string): (() => void) | null {
      const count = open.get(key) ?? 0;
      if (count >= max) return null;
      open.set(key, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
  };
}

export type StreamLimiter = ReturnType<typeof createStreamLimiter>;
