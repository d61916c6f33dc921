import type { ContentModel, ModelOutput, WriteHookInput } from '../model/content-model.ts';
import { insertLlmCalls, type NewLlmCall } from '../../platform/llm/index.ts';
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

/** One call as it settled: the row to store and the hold to release once it is stored (none when refused). */
type Made = { row: NewLlmCall; release: () => Promise<void> } & ({ output: ModelOutput } | { error: unknown });
type Settled = Made | { refused: unknown };

/**
 * The one place model calls are checked and recorded: for each input at once, the daily budgets
 * first (a call that could exceed one is not made; its most is held while it runs), then the call;
 * once every call has settled, their llm_calls rows (tokens, dollars, latency, cache hit, outcome;
 * the post is attributed when it is persisted) in one statement, then the holds released. The
 * results are in input order; the first failure, in input order, is thrown.
 */
export async function meteredCalls<I extends WriteHookInput>(
  deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>,
  draft: Draft,
  service: Service,
  inputs: readonly I[],
  call: (input: I) => Promise<ModelOutput>,
): Promise<{ output: ModelOutput; update: CallUsage }[]> {
  const settled = await Promise.all(inputs.map((input) => settle(deps, draft, service, input, call)));
  const made = settled.filter((s): s is Made => !('refused' in s));
  let ids: number[];
  try {
    ids = await insertLlmCalls(
      deps.db,
      made.map((s) => s.row),
    );
  } finally {
    await Promise.all(made.map((s) => s.release()));
  }
  for (const s of settled) {
    if ('refused' in s) throw s.refused;
    if ('error' in s) throw s.error;
  }
  return made.map((s, i) => {
    const { row, output } = s as Extract<Made, { output: ModelOutput }>;
    return {
      output,
      update: {
        models: { [service]: output.model, provider: output.provider },
        promptTokens: row.prompt_tokens,
        completionTokens: row.completion_tokens,
        costUsd: output.costUsd,
        llmCallIds: [ids[i]!],
      },
    };
  });
}

async function settle<I extends WriteHookInput>(
  deps: Pick<GraphDeps, 'model' | 'metrics' | 'reserveBudget'>,
  draft: Draft,
  service: Service,
  input: I,
  call: (input: I) => Promise<ModelOutput>,
): Promise<Settled> {
  let plan: ReturnType<ContentModel['planCall']>;
  let release: () => Promise<void>;
  try {
    plan = deps.model.planCall(service, input);
    release = await deps.reserveBudget(draft.persona, plan.maxUsd);
  } catch (refused) {
    return { refused };
  }
  const base = { service, persona_id: draft.persona.id, task_id: draft.taskId };
  const started = performance.now();
  try {
    const output = await inLlmSpan(
      service,
      deps.model.provider,
      () => call(input),
      (o) => o,
    );
    const latencyMs = performance.now() - started;
    // A cache hit used no tokens: the call, its post and the metrics all say so.
    const billed = output.cacheHit ? { promptTokens: 0, completionTokens: 0 } : output.usage;
    observe(deps, service, output, latencyMs);
    const row: NewLlmCall = {
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
    };
    return { row, release, output };
  } catch (error) {
    const latencyMs = performance.now() - started;
    deps.metrics.llmRequestDuration.observe({ model: plan.model, outcome: 'error' }, latencyMs / 1000);
    const row: NewLlmCall = {
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
    };
    return { row, release, error };
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

export function feedbackOf(draft: Draft): string | undefined {
  const last = draft.rejections.at(-1);
  return last ? `${last.reason.replace('rejected_', '')}: ${last.detail}` : undefined;
}
