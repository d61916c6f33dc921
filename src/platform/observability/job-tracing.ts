import { ROOT_CONTEXT, SpanKind, type Context, type Span } from '@opentelemetry/api';
import { withLogFields } from './log-context.ts';
import { contextFromCarrier, currentTraceCarrier, hasActiveSpan, inSpan } from './tracing.ts';

/** Where a job's payload carries the trace of the request that queued it; stripped before validation. */
const TRACE_FIELD = '_trace';

/** The payload to store: with the active trace context, so the job continues the request's trace. */
export function attachTraceContext<T extends object>(data: T): T {
  const carrier = currentTraceCarrier();
  return carrier ? { ...data, [TRACE_FIELD]: carrier } : data;
}

/** Inside a trace, a producer span around queueing a job; the job's own span becomes its child. */
export function inSendSpan<T>(queue: string, fn: () => Promise<T>): Promise<T> {
  if (!hasActiveSpan()) return fn();
  const attributes = {
    'messaging.system': 'pg-boss',
    'messaging.operation.type': 'send',
    'messaging.destination.name': queue,
  };
  return inSpan(`send ${queue}`, attributes, fn, { kind: SpanKind.PRODUCER });
}

/** Splits a stored payload into the job's own data and the trace context it was queued in. */
export function detachTraceContext(stored: unknown): { data: unknown; parent: Context } {
  if (!stored || typeof stored !== 'object' || !(TRACE_FIELD in stored)) return { data: stored, parent: ROOT_CONTEXT };
  const { [TRACE_FIELD]: carrier, ...data } = stored as Record<string, unknown>;
  return { data, parent: contextFromCarrier(carrier) };
}

/** One consumer span per job run (a retry is a new span in the same trace); its log lines carry job_id. */
export function inJobSpan<T>(
  queue: string,
  job: { id: string; retryCount: number },
  parent: Context,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(
    `job ${queue}`,
    {
      'messaging.system': 'pg-boss',
      'messaging.operation.type': 'process',
      'messaging.destination.name': queue,
      'messaging.message.id': job.id,
      'job.retry_count': job.retryCount,
    },
    fn,
    { kind: SpanKind.CONSUMER, parent: withLogFields(parent, { job_id: job.id }) },
  );
}
