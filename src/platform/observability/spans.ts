import { SpanKind, type Span } from '@opentelemetry/api';
import { inSpan } from './tracing.ts';

/** A persona workflow node: child of the job span; its model calls and SQL are its children. */
export function inNodeSpan<T>(
  node: string,
  where: { taskId: string; variant: number; attempt: number },
  fn: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `node ${node}`,
    { 'graph.node': node, 'task.id': where.taskId, 'draft.variant': where.variant, 'draft.attempt': where.attempt },
    fn,
  );
}

export interface LlmCallOutcome {
  model: string;
  usage: { promptTokens: number; completionTokens: number };
  costUsd: number;
  cacheHit: boolean;
}

/** A model call (gen_ai semantic conventions): model, tokens, dollars and whether the cache answered. */
export function inLlmSpan<T>(
  service: string,
  provider: string,
  fn: () => Promise<T>,
  outcomeOf: (result: T) => LlmCallOutcome,
): Promise<T> {
  return inSpan(
    `llm ${service}`,
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'llm.service': service },
    async (span) => {
      const result = await fn();
      const o = outcomeOf(result);
      span.setAttributes({
        'gen_ai.response.model': o.model,
        'gen_ai.usage.input_tokens': o.usage.promptTokens,
        'gen_ai.usage.output_tokens': o.usage.completionTokens,
        'llm.cost_usd': o.costUsd,
        'llm.cache_hit': o.cacheHit,
      });
      return result;
    },
    { kind: SpanKind.CLIENT },
  );
}

/**
 * The hook for Threads Graph API calls: wrap each request as
 * `inThreadsSpan('threads_publish', () => fetch(...), (res) => res.status)`. `endpoint` is the
 * bounded name also used as the `endpoint` label of threads_api_requests_total (never a URL
 * with ids or tokens in it).
 */
export function inThreadsSpan<T>(endpoint: string, fn: () => Promise<T>, statusOf?: (result: T) => number): Promise<T> {
  return inSpan(
    `threads ${endpoint}`,
    { 'threads.endpoint': endpoint, 'server.address': 'graph.threads.net' },
    async (span: Span) => {
      const result = await fn();
      const status = statusOf?.(result);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      return result;
    },
    { kind: SpanKind.CLIENT },
  );
}
