import { scorePost } from '../../quality-score.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

export function createScoreQualityNode(deps: Pick<GraphDeps, 'settings' | 'metrics'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const quality = scorePost({
      hook: draft.hook,
      body: draft.body,
      text: draft.text,
      persona: draft.persona,
      topic: draft.topic,
    });
    const min = deps.settings.qualityMinScore;
    if (quality.score >= min) return { quality };
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_quality' });
    return {
      quality,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_quality',
        detail: `quality score ${quality.score.toFixed(3)} is below the minimum ${min}`,
        data: { score: quality.score, hookPattern: draft.hookPattern },
      }),
    };
  };
}
