import type { Queryable } from '../platform/db/index.ts';
import { listProjectionEvents } from './revenue.repository.ts';
import { projectMonthlyRevenue } from './revenue-projection.ts';

/** revenue_projection_monthly at `now`, from the stored events alone; `personaId` narrows it to that persona's revenue. */
export async function computeRevenueProjection(q: Queryable, options: { now: Date; personaId?: string }) {
  return projectMonthlyRevenue(await listProjectionEvents(q, options.now), options.now, {
    personaId: options.personaId,
  });
}
