import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import { createDuplicateCheck } from '../draft-gate.ts';
import type { GraphDeps } from '../graph-deps.ts';

/**
 * Rejects a draft that says what was already said, by meaning. The draft's vector and its nearest
 * match travel on to persist.
 */
export function createCheckDuplicateNode(deps: Pick<GraphDeps, 'embedder' | 'vectors' | 'settings' | 'metrics'>) {
  const checkDuplicate = createDuplicateCheck(deps);
  return async (draft: Draft): Promise<DraftUpdate> => {
    const { embedding, nearest, hit } = await checkDuplicate({ personaId: draft.persona.id, text: draft.text });
    const update: DraftUpdate = { embedding, nearest };
    if (!hit) return update;
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_duplicate' });
    return {
      ...update,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_duplicate',
        detail: hit.detail,
        data: { nearest_post_id: hit.match.post_id, similarity: hit.match.score, scope: hit.scope },
      }),
    };
  };
}
