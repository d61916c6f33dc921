export { collectFollowers } from './collect-followers.ts';
export { collectInsights } from './collect-insights.ts';
export { engagementRate, type InsightCounts, interactionsOf } from './engagement.ts';
export { createPostInsightsService, type PostInsightsService } from './post-insights.service.ts';
export { upsertFollowerSnapshot } from './insight.repository.ts';
