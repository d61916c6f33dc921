export { attachTraceContext, detachTraceContext, inJobSpan, inSendSpan } from './job-tracing.ts';
export { withLogFields } from './log-context.ts';
export { createLogger, createSecretMask } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { inLlmSpan, inNodeSpan, inThreadsSpan } from './spans.ts';
export { hasActiveSpan, inSpan, isRecordingSpan, startTracing, tracer } from './tracing.ts';
