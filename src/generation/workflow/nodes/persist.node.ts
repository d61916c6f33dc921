import { attributeLlmCalls } from '../../../platform/llm/index.ts';
import { insertPost, isAutoApproved } from '../../../posts/index.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/**
 * Stores the draft: accepted as a draft post (approved at once when the persona auto-approves and the
 * score is high enough), or, after the last attempt, rejected with its reason.
 */
export function createPersistNode(
  deps: Pick<GraphDeps, 'db' | 'metrics' | 'vectors' | 'embedder' | 'autoApproveMinScore' | 'now' | 'policy'>,
) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const rejection = draft.rejection;
    // A draft flagged for review (an unsourced statistic) waits for a person whatever its score.
    const approved =
      !rejection &&
      draft.quality?.verdict !== 'review' &&
      isAutoApproved(draft.persona, draft.quality?.score ?? null, deps.autoApproveMinScore);
    const post = await deps.db.transaction(async (tx) => {
      const stored = await insertPost(tx, {
        persona_id: draft.persona.id,
        task_id: draft.taskId,
        variant: draft.variant,
        status: rejection ? 'rejected' : approved ? 'approved' : 'draft',
        approved_at: approved ? deps.now() : null,
        topic: draft.topic,
        hook_pattern: draft.hookPattern!,
        hook: draft.hook,
        body: draft.body,
        text: draft.text,
        quality_score: draft.quality?.score ?? null,
        score_breakdown: draft.quality?.features ?? {},
        rejection_reason: rejection?.reason ?? null,
        rejection_detail: rejection ? { detail: rejection.detail, ...rejection.data, history: draft.rejections } : null,
        attempts: draft.attempt,
        models: draft.models,
        prompt_tokens: draft.promptTokens,
        completion_tokens: draft.completionTokens,
        cost_usd: draft.costUsd,
        nearest_post_id: draft.nearest?.postId ?? null,
        nearest_similarity: draft.nearest?.similarity ?? null,
      });
      await attributeLlmCalls(tx, draft.llmCallIds, stored.id);
      await deps.policy.recordDecisions(tx, {
        postId: stored.id,
        taskId: draft.taskId,
        personaId: draft.persona.id,
        decisions: draft.decisions,
      });
      // Only what was accepted counts as "already said" for later duplicate checks.
      if (!rejection && draft.embedding) {
        await deps.vectors.upsert(tx, {
          postId: stored.id,
          personaId: draft.persona.id,
          model: deps.embedder.model,
          vector: draft.embedding,
        });
      }
      return stored;
    });
    if (!rejection) deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'accepted' });
    return { postId: post.id };
  };
}
