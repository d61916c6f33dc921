import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { HttpServer } from './http-server.ts';
import { withLogFields, tracer } from '../../platform/observability/index.ts';

/** Scraped and probed every few seconds: a trace each would bury the ones worth reading. */
const UNTRACED = new Set(['/metrics', '/health', '/ready']);

/**
 * One server span per request, named by method and route pattern, continuing an incoming W3C
 * `traceparent`. The span is made active for the hooks and the handler, so their SQL, jobs and
 * log lines (with `request_id`) join it. Register before any hook that should be inside it.
 */
export function registerHttpTracing(app: HttpServer): void {
  const contexts = new WeakMap<object, { span: Span; ctx: ReturnType<typeof context.active> }>();

  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route && UNTRACED.has(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          ...(route ? { 'http.route': route } : {}),
          'url.path': request.url.split('?')[0],
          'request.id': request.id,
        },
      },
      parent,
    );
    const ctx = withLogFields(trace.setSpan(parent, span), { request_id: request.id });
    contexts.set(request, { span, ctx });
    context.with(ctx, done);
  });

  // The body is read from socket events, outside the context: enter it again before the handler.
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = contexts.get(request);
    if (entry) context.with(entry.ctx, done);
    else done();
  });

  app.addHook('onError', (request, _reply, error, done) => {
    const entry = contexts.get(request);
    if (entry) entry.span.recordException(error);
    done();
  });

  const end = (request: object, statusCode?: number) => {
    const entry = contexts.get(request);
    if (!entry) return;
    contexts.delete(request);
    if (statusCode === undefined) {
      entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the connection' });
    } else {
      entry.span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    entry.span.end();
  };
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request);
    done();
  });
}
