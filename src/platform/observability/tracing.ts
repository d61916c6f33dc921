import { errorMessage } from '../errors.ts';
import os from 'node:os';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span as ApiSpan,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Config } from '../config.ts';

export type TracingSettings = Config['tracing'];

/** Every span of the product comes from this tracer; a no-op until `startTracing` registers a provider. */
export const tracer = trace.getTracer('threads-agent');

export interface Tracing {
  provider: NodeTracerProvider;
  /** Sends every span ended from now on to `exporter` (batched, or one by one for tests). */
  addExporter(exporter: SpanExporter, options?: { batch?: boolean }): void;
  /** Pushes buffered spans out; call before the process exits. */
  flush(): Promise<void>;
}

/** Lets exporters join after the provider is registered (the SDK fixes its processors at construction). */
class FanOutSpanProcessor implements SpanProcessor {
  readonly processors: SpanProcessor[] = [];
  onStart(span: Span, parentContext: Context): void {
    for (const p of this.processors) p.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }
  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }
  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}

// The OpenTelemetry API is process-global by design (context manager, propagator, provider):
// keep one registration per process, found again by every createDeps and every test.
const ACTIVE = Symbol.for('threads-agent.tracing');
type Holder = { [ACTIVE]?: Tracing & { urls: Set<string> } };

/**
 * Registers the tracer provider once per process (AsyncLocalStorage context, W3C trace context)
 * and adds the OTLP exporter when a URL is given. Spans are always made, so logs carry a trace
 * id even when nothing is exported.
 */
export function startTracing(settings: Partial<TracingSettings> = {}): Tracing {
  const holder = globalThis as Holder;
  let active = holder[ACTIVE];
  if (!active) {
    const fanOut = new FanOutSpanProcessor();
    const sampled = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    // With no exporter, a span is only its ids (for the logs): recording attributes and events nobody
    // reads cost a busy API a tenth of its CPU.
    const sampler: Sampler = {
      shouldSample: (...args) =>
        fanOut.processors.length > 0 ? sampled.shouldSample(...args) : { decision: SamplingDecision.NOT_RECORD },
      toString: () => 'RecordWhenExported',
    };
    const provider = new NodeTracerProvider({
      sampler,
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: settings.serviceName ?? 'threads-agent',
        [ATTR_SERVICE_VERSION]: '0.1.0',
        'service.instance.id': `${os.hostname()}:${process.pid}`,
      }),
      spanProcessors: [fanOut],
    });
    provider.register();
    active = {
      provider,
      urls: new Set(),
      addExporter(exporter, options = {}) {
        fanOut.processors.push(
          options.batch === false ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
        );
      },
      flush: () => provider.forceFlush(),
    };
    holder[ACTIVE] = active;
  }
  const url = settings.otlpTracesUrl;
  if (url && !active.urls.has(url)) {
    active.urls.add(url);
    active.addExporter(new OTLPTraceExporter({ url }));
  }
  return active;
}

export function hasActiveSpan(): boolean {
  return trace.getSpan(context.active()) !== undefined;
}

/** A span is active and recorded (an exporter is set): worth adding child spans to. */
export function isRecordingSpan(): boolean {
  return trace.getSpan(context.active())?.isRecording() ?? false;
}

/**
 * Runs `fn` in a new span, child of the active one (or of `parent`), ending it when `fn`
 * settles; a thrown error marks the span failed and is rethrown.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: ApiSpan) => Promise<T>,
  options: { kind?: SpanKind; parent?: Context } = {},
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function markFailed(span: ApiSpan, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

/** The W3C trace context of the active span, to carry across a process boundary (a queued job). */
export function currentTraceCarrier(): Record<string, string> | undefined {
  if (!hasActiveSpan()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a carrier from `currentTraceCarrier` describes (the root context when there is none). */
export function contextFromCarrier(carrier: unknown): Context {
  if (!carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier as Record<string, string>);
}
