import client from 'prom-client';

/**
 * Every metric the product exposes, on one registry per process (a fresh one per test).
 * Names and labels are the public contract in shared/design/metrics.md.
 */
export function createMetrics() {
  const registry = new client.Registry();
  // The event-loop lag histogram samples on a timer: at prom-client's 10 ms that timer alone was half
  // of an idle process's CPU (0.43% of a core against 0.05% at 100 ms); stalls worth a p99 alert are longer.
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const on = { registers: [registry] };

  return {
    registry,
    postsEngagementRate: new client.Gauge({
      name: 'posts_engagement_rate',
      help: 'Interactions / views over the persona\'s posts of the last 7 days (persona="all": every persona)',
      labelNames: ['persona'] as const,
      ...on,
    }),
    costPerFollow: new client.Gauge({
      name: 'cost_per_follow_dollars',
      help: 'Attributed spend of the last 30 days / net new followers; absent while there are none',
      labelNames: ['persona'] as const,
      ...on,
    }),
    followersTotal: new client.Gauge({
      name: 'followers_total',
      help: 'Latest follower count',
      labelNames: ['persona'] as const,
      ...on,
    }),
    revenueProjectionMonthly: new client.Gauge({
      name: 'revenue_projection_monthly',
      help: 'Active subscription MRR + last-30-day affiliate and lead revenue, in USD',
      labelNames: ['stream'] as const,
      ...on,
    }),
    learningLift: new client.Gauge({
      name: 'learning_lift_ratio',
      help: 'Engagement of learned posts over the control group (each rate over its persona baseline); persona="all": pooled',
      labelNames: ['persona'] as const,
      ...on,
    }),
    predictionSpearman: new client.Gauge({
      name: 'engagement_prediction_spearman',
      help: 'Spearman correlation of predicted vs actual engagement rate on the latest 20% of rewarded posts (model="baseline": persona mean + length)',
      labelNames: ['model'] as const,
      ...on,
    }),
    learningDecisions: new client.Counter({
      name: 'learning_decisions_total',
      help: 'Choices the learning loop made, by choice (hook_pattern, length, closing, emoji, hour) and arm',
      labelNames: ['choice', 'arm'] as const,
      ...on,
    }),
    viralPosts: new client.Counter({
      name: 'viral_posts_total',
      help: 'Posts whose engagement rate first crossed 0.10 with at least 100 views (counted in the database)',
      labelNames: ['persona'] as const,
      ...on,
    }),
    dbQueryDuration: new client.Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database statement latency by operation',
      labelNames: ['operation'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      ...on,
    }),
    httpRequestDuration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route pattern',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ...on,
    }),
    contentGenerationLatency: new client.Histogram({
      name: 'content_generation_latency_seconds',
      help: 'Time spent in each persona workflow node, and in the whole run (node="total")',
      labelNames: ['node'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      ...on,
    }),
    postsGenerated: new client.Counter({
      name: 'posts_generated_total',
      help: 'Drafts produced by the workflow by outcome',
      labelNames: ['persona', 'outcome'] as const,
      ...on,
    }),
    llmTokens: new client.Counter({
      name: 'llm_tokens_total',
      help: 'Model tokens by model, service and type (prompt, completion); cache hits add none',
      labelNames: ['model', 'service', 'type'] as const,
      ...on,
    }),
    llmCost: new client.Counter({
      name: 'llm_cost_dollars_total',
      help: 'Dollars spent on models, from the price table',
      labelNames: ['model', 'service'] as const,
      ...on,
    }),
    llmRequestDuration: new client.Histogram({
      name: 'llm_request_duration_seconds',
      help: 'Model call latency by outcome (ok, cache_hit, error)',
      labelNames: ['model', 'outcome'] as const,
      buckets: [0.005, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      ...on,
    }),
    llmCacheRequests: new client.Counter({
      name: 'llm_cache_requests_total',
      help: 'Model cache look-ups by result (hit, miss)',
      labelNames: ['result'] as const,
      ...on,
    }),
    circuitBreakerState: new client.Gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker per dependency: 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'] as const,
      ...on,
    }),
    postsPublished: new client.Counter({
      name: 'posts_published_total',
      help: 'Publish attempts that ended, by outcome',
      labelNames: ['persona', 'outcome'] as const,
      ...on,
    }),
    threadsApiRequests: new client.Counter({
      name: 'threads_api_requests_total',
      help: 'Threads Graph API requests by endpoint name and HTTP status',
      labelNames: ['endpoint', 'status_code'] as const,
      ...on,
    }),
    queueJobs: new client.Gauge({
      name: 'queue_jobs',
      help: 'Jobs in the queue by state',
      labelNames: ['queue', 'state'] as const,
      ...on,
    }),
    unhandledRejections: new client.Counter({
      name: 'process_unhandled_rejections_total',
      help: 'Promise rejections nothing handled: logged and counted, never fatal',
      ...on,
    }),
    jobsProcessed: new client.Counter({
      name: 'jobs_processed_total',
      help: 'Jobs handled by workers by outcome',
      labelNames: ['queue', 'outcome'] as const,
      ...on,
    }),
    jobDuration: new client.Histogram({
      name: 'job_duration_seconds',
      help: 'Time a worker spent on a job',
      labelNames: ['queue'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      ...on,
    }),
    dbPoolConnections: new client.Gauge({
      name: 'db_pool_connections',
      help: 'Database connections by state',
      labelNames: ['state'] as const,
      ...on,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
