export { computeRevenueProjection } from './compute-revenue-projection.ts';
export type { RevenueProjection } from './revenue-projection.ts';
export { revenueEventInput, revenueEventSchema } from './revenue-event.schema.ts';
export { BASE_CURRENCY, createRevenueService, type RevenueService } from './revenue.service.ts';
