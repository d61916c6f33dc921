import type { Queryable } from '../db/index.ts';

export interface NewLlmCall {
  provider: string;
  model: string;
  service: string;
  persona_id: string | null;
  task_id: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  cache_hit: boolean;
  priced: boolean;
  latency_ms: number;
  outcome: 'ok' | 'error';
  error: string | null;
}

export async function insertLlmCall(q: Queryable, call: NewLlmCall): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO llm_calls (provider, model, service, persona_id, task_id, prompt_tokens, completion_tokens,
       cost_usd, cache_hit, priced, latency_ms, outcome, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id::int AS id`,
    [
      call.provider,
      call.model,
      call.service,
      call.persona_id,
      call.task_id,
      call.prompt_tokens,
      call.completion_tokens,
      call.cost_usd,
      call.cache_hit,
      call.priced,
      call.latency_ms,
      call.outcome,
      call.error,
    ],
  );
  return row!.id;
}

/** Calls are made before their post exists; this attributes them once it does. */
export async function attributeLlmCalls(q: Queryable, callIds: number[], postId: string): Promise<void> {
  if (callIds.length === 0) return;
  await q.query('UPDATE llm_calls SET post_id = $1 WHERE id = ANY($2::bigint[])', [postId, callIds]);
}
