import { context, createContextKey, isSpanContextValid, trace, type Context } from '@opentelemetry/api';

const LOG_FIELDS = createContextKey('threads-agent.log_fields');

type LogFields = Readonly<Record<string, string>>;

/** A context whose log lines also carry these fields (request_id in a request, job_id in a job). */
export function withLogFields(ctx: Context, fields: Record<string, string>): Context {
  const current = (ctx.getValue(LOG_FIELDS) as LogFields | undefined) ?? {};
  return ctx.setValue(LOG_FIELDS, Object.freeze({ ...current, ...fields }));
}

/**
 * The pino mixin: every line written inside a request or a job carries its trace_id and
 * span_id (to find the trace in Jaeger or Tempo) and its request_id or job_id.
 */
export function activeLogFields(): Record<string, string> {
  const ctx = context.active();
  const out: Record<string, string> = { ...((ctx.getValue(LOG_FIELDS) as LogFields | undefined) ?? {}) };
  const spanContext = trace.getSpan(ctx)?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    out.trace_id = spanContext.traceId;
    out.span_id = spanContext.spanId;
  }
  return out;
}
