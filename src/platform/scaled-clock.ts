/**
 * The product's clock. TIME_SCALE=N makes it run N times faster than the wall clock from the moment
 * the process starts: for demos and simulations (a simulated month in minutes), never for real accounts.
 */
export function createScaledClock(scale: number, wall: () => number = Date.now): () => Date {
  if (scale === 1) return () => new Date(wall());
  const started = wall();
  return () => new Date(started + (wall() - started) * scale);
}

/** A product-time interval in wall milliseconds, never under `floorMs` (no busy loop at high scales). */
export function wallInterval(productMs: number, scale: number, floorMs = 1_000): number {
  return Math.max(floorMs, productMs / scale);
}
