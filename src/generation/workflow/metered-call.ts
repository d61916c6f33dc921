import type { ModelOutput, WriteHookInput } from '../model/content-model.ts';
import { insertLlmCall } from '../../platform/llm/index.ts';
import { inLlmSpan } from '../../platform/observability/index.ts';
import type { Draft } from './draft-state.ts';
import type { GraphDeps } from './graph-deps.ts';

type Service = 'hook' | 'body';

/** What one call adds to the draft's usage. */
export interface CallUsage {
  models: Record<string, string>;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  llmCallIds: number[];
}

export const NO_USAGE: CallUsage = { models: {}, promptTokens: 0, completionTokens: 0, costUsd: 0, llmCallIds: [] };

/** Usage of several calls made by one node (the state's reducers sum each node's update once). */
export function addUsage(a: CallUsage, b: CallUsage): CallUsage {
  return {
    models: { ...a.models, ...b.models },
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
    llmCallIds: [...a.llmCallIds, ...b.llmCallIds],
  };
}

/**
 * The one place a model call is checked and recorded: the daily budgets first (a call that
 * could exceed one is not made; its most is held while it runs), then one llm_calls row (tokens,
 * dollars, latency, cache hit, outcome; the post is attributed when it is persisted) and the
 * llm_* metrics.
 */
export async function meteredCall(
  deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>,
  draft: Draft,
  service: Service,
  input: WriteHookInput,
  call: () => Promise<ModelOutput>,
): Promise<{ output: ModelOutput; update: CallUsage }> {
  const plan = deps.model.planCall(service, input);
  const releaseBudget = await deps.reserveBudget(draft.persona, plan.maxUsd);
  const started = performance.now();
  const base = { service, persona_id: draft.persona.id, task_id: draft.taskId };
  try {
    const output = await inLlmSpan(service, deps.model.provider, call, (o) => o);
    const latencyMs = performance.now() - started;
    // A cache hit used no tokens: the call, its post and the metrics all say so.
    const billed = output.cacheHit ? { promptTokens: 0, completionTokens: 0 } : output.usage;
    const id = await insertLlmCall(deps.db, {
      ...base,
      provider: output.provider,
      model: output.model,
      prompt_tokens: billed.promptTokens,
      completion_tokens: billed.completionTokens,
      cost_usd: output.costUsd,
      cache_hit: output.cacheHit,
      priced: output.priced,
      latency_ms: Math.round(latencyMs),
      outcome: 'ok',
      error: null,
    });
    observe(deps, service, output, latencyMs);
    return {
      output,
      update: {
        models: { [service]: output.model, provider: output.provider },
        promptTokens: billed.promptTokens,
        completionTokens: billed.completionTokens,
        costUsd: output.costUsd,
        llmCallIds: [id],
      },
    };
  } catch (error) {
    const latencyMs = performance.now() - started;
    await insertLlmCall(deps.db, {
      ...base,
      provider: deps.model.provider,
      model: plan.model,
      prompt_tokens: 0,
      completion_tokens: 0,
      cost_usd: 0,
      cache_hit: false,
      priced: true,
      latency_ms: Math.round(latencyMs),
      outcome: 'error',
      error: error instanceof Error ? error.message.slice(0, 500) : String(error),
    });
    deps.metrics.llmRequestDuration.observe({ model: plan.model, outcome: 'error' }, latencyMs / 1000);
    throw error;
  } finally {
    await releaseBudget();
  }
}

function observe(deps: Pick<GraphDeps, 'metrics'>, service: Service, output: ModelOutput, latencyMs: number) {
  const { model } = output;
  deps.metrics.llmRequestDuration.observe({ model, outcome: output.cacheHit ? 'cache_hit' : 'ok' }, latencyMs / 1000);
  if (output.cacheHit) return;
  deps.metrics.llmTokens.inc({ model, service, type: 'prompt' }, output.usage.promptTokens);
  deps.metrics.llmTokens.inc({ model, service, type: 'completion' }, output.usage.completionTokens);
  deps.metrics.llmCost.inc({ model, service }, output.costUsd);
}

/**
 * Runs one call per candidate at once (a node's candidates are independent: the wait is the slowest
 * call, not their sum) and returns them in candidate order. Every call is settled before the node
 * goes on, so each has its llm_calls row and its budget hold released; the first failure, in
 * candidate order, is thrown.
 */
export async function callEach<T, R>(items: readonly T[], call: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(call));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

export function feedbackOf(draft: Draft): string | undefined {
  const last = draft.rejections.at(-1);
  return last ? `${last.reason.replace('rejected_', '')}: ${last.detail}` : undefined;
}
