import { findMostSimilar } from '../../content/text-similarity.ts';
import { listRecentPostTexts } from '../../posts/post.repository.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

const RECENT_POSTS_COMPARED = 200;

export function createCheckDuplicateNode(deps: Pick<GraphDeps, 'db' | 'settings' | 'metrics'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const recent = await listRecentPostTexts(deps.db, draft.persona.id, RECENT_POSTS_COMPARED);
    const nearest = findMostSimilar(draft.text, recent);
    const threshold = deps.settings.personaDuplicateThreshold;
    if (!nearest || nearest.score < threshold) return {};
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_duplicate' });
    return reject(draft, deps.settings.maxAttempts, {
      reason: 'rejected_duplicate',
      detail: `similarity ${nearest.score.toFixed(3)} to post ${nearest.id} reaches the threshold ${threshold}`,
      data: { nearest_post_id: nearest.id, similarity: nearest.score },
    });
  };
}
