import type { Neighbour } from '../../../posts/index.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/** How many recent posts are compared: the persona's own, then everyone's. */
const PERSONA_SCAN = 500;
const GLOBAL_SCAN = 5000;

/**
 * Rejects a draft that says what was already said, by meaning: against the persona's recent
 * posts, and with a higher bar against every persona's. The draft's vector and its nearest
 * match travel on to persist.
 */
export function createCheckDuplicateNode(deps: Pick<GraphDeps, 'embedder' | 'vectors' | 'settings' | 'metrics'>) {
  const thresholds = {
    persona: deps.settings.personaDuplicateThreshold ?? deps.embedder.duplicateThresholds.persona,
    global: deps.settings.globalDuplicateThreshold ?? deps.embedder.duplicateThresholds.global,
  };

  return async (draft: Draft): Promise<DraftUpdate> => {
    const [vector] = await deps.embedder.embed([draft.text]);
    const search = { vector: vector!, model: deps.embedder.model, limit: 1 };
    const [[own], [anyone]] = await Promise.all([
      deps.vectors.nearest({ ...search, personaId: draft.persona.id, scanLimit: PERSONA_SCAN }),
      deps.vectors.nearest({ ...search, scanLimit: GLOBAL_SCAN }),
    ]);
    const nearest = [own, anyone].filter((n): n is Neighbour => n !== undefined).sort((a, b) => b.score - a.score)[0];
    const update: DraftUpdate = {
      embedding: vector!,
      nearest: nearest ? { postId: nearest.post_id, similarity: nearest.score } : null,
    };
    const hit =
      own && own.score >= thresholds.persona
        ? { scope: 'persona', match: own, threshold: thresholds.persona }
        : anyone && anyone.score >= thresholds.global
          ? { scope: 'global', match: anyone, threshold: thresholds.global }
          : null;
    if (!hit) return update;
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_duplicate' });
    return {
      ...update,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_duplicate',
        detail: `similarity ${hit.match.score.toFixed(3)} to post ${hit.match.post_id} reaches the ${hit.scope} threshold ${hit.threshold}`,
        data: { nearest_post_id: hit.match.post_id, similarity: hit.match.score, scope: hit.scope },
      }),
    };
  };
}
