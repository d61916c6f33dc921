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

/**
 * Stores calls in one statement and returns their ids in the calls' order: the rows are numbered
 * from one sequence in the order given, so the ids sorted are in that order.
 */
export async function insertLlmCalls(q: Queryable, calls: readonly NewLlmCall[]): Promise<number[]> {
  if (calls.length === 0) return [];
  const rows = await q.query<{ id: number }>(
    `INSERT INTO llm_calls (provider, model, service, persona_id, task_id, prompt_tokens, completion_tokens,
       cost_usd, cache_hit, priced, latency_ms, outcome, error)
     SELECT c.provider, c.model, c.service, c.persona_id, c.task_id, c.prompt_tokens, c.completion_tokens,
            c.cost_usd, c.cache_hit, c.priced, c.latency_ms, c.outcome, c.error
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::int[],
                   $8::numeric[], $9::bool[], $10::bool[], $11::int[], $12::text[], $13::text[]) WITH ORDINALITY
              AS c (provider, model, service, persona_id, task_id, prompt_tokens, completion_tokens,
                    cost_usd, cache_hit, priced, latency_ms, outcome, error, n)
      ORDER BY c.n
     RETURNING id::int AS id`,
    [
      calls.map((c) => c.provider),
      calls.map((c) => c.model),
      calls.map((c) => c.service),
      calls.map((c) => c.persona_id),
      calls.map((c) => c.task_id),
      calls.map((c) => c.prompt_tokens),
      calls.map((c) => c.completion_tokens),
      calls.map((c) => c.cost_usd),
      calls.map((c) => c.cache_hit),
      calls.map((c) => c.priced),
      calls.map((c) => c.latency_ms),
      calls.map((c) => c.outcome),
      calls.map((c) => c.error),
    ],
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Calls are made before their post exists; this attributes them once it does. */
export async function attributeLlmCalls(q: Queryable, callIds: number[], postId: string): Promise<void> {
  if (callIds.length === 0) return;
  await q.query('UPDATE llm_calls SET post_id = $1 WHERE id = ANY($2::bigint[])', [postId, callIds]);
}
