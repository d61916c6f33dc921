import { insertLlmCall } from '../llm/llm-call.repository.ts';
import type { ModelOutput } from '../llm/content-model.ts';
import type { Draft, DraftUpdate } from './draft-state.ts';
import type { GraphDeps } from './graph-deps.ts';

/**
 * Runs one model call and records it in llm_calls (tokens, latency, outcome), attributed to
 * the persona and task; the post is attributed when it is persisted. Pricing arrives with the
 * model gateway, so dollars are 0 here.
 */
export async function meteredCall(
  deps: Pick<GraphDeps, 'db' | 'model'>,
  draft: Draft,
  service: 'hook' | 'body',
  call: () => Promise<ModelOutput>,
): Promise<{ output: ModelOutput; update: DraftUpdate }> {
  const started = performance.now();
  const base = { service, persona_id: draft.persona.id, task_id: draft.taskId, cost_usd: 0 };
  try {
    const output = await call();
    const id = await insertLlmCall(deps.db, {
      ...base,
      provider: output.provider,
      model: output.model,
      prompt_tokens: output.usage.promptTokens,
      completion_tokens: output.usage.completionTokens,
      latency_ms: Math.round(performance.now() - started),
      outcome: 'ok',
      error: null,
    });
    return {
      output,
      update: {
        models: { [service]: output.model, provider: output.provider },
        promptTokens: output.usage.promptTokens,
        completionTokens: output.usage.completionTokens,
        llmCallIds: [id],
      },
    };
  } catch (error) {
    await insertLlmCall(deps.db, {
      ...base,
      provider: deps.model.provider,
      model: 'unknown',
      prompt_tokens: 0,
      completion_tokens: 0,
      latency_ms: Math.round(performance.now() - started),
      outcome: 'error',
      error: error instanceof Error ? error.message.slice(0, 500) : String(error),
    });
    throw error;
  }
}

export function feedbackOf(draft: Draft): string | undefined {
  const last = draft.rejections.at(-1);
  return last ? `${last.reason.replace('rejected_', '')}: ${last.detail}` : undefined;
}
