export { COST_GROUPS, createCostsService, type ReportCosts } from './costs.service.ts';
export { refreshKpiMetrics } from './kpi-metrics.ts';
export { refreshKpiRollup } from './kpi-rollup.ts';
export { createKpiService, type KpiService } from './kpi.service.ts';
export { computeKpis } from './compute-kpis.ts';
