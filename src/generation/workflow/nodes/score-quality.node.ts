import { scorePost } from '../../quality-score.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/** How the gate weighs the predicted reward against the fixed heuristic once a predictor is trained. */
const PREDICTOR_WEIGHT = 0.5;

/**
 * The gate: the fixed quality heuristic, blended with the predictor's view when one is trained (its
 * predicted log-lift over the persona's baseline, squashed to 0..1 so no lift reads 0.5).
 */
export function createScoreQualityNode(deps: Pick<GraphDeps, 'settings' | 'metrics' | 'policy'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const heuristic = scorePost({
      hook: draft.hook,
      body: draft.body,
      text: draft.text,
      persona: draft.persona,
      topic: draft.topic,
    });
    const predicted = await deps.policy.predict({ persona: draft.persona, text: draft.text });
    const quality =
      predicted === null
        ? heuristic
        : {
            score: (1 - PREDICTOR_WEIGHT) * heuristic.score + PREDICTOR_WEIGHT / (1 + Math.exp(-2 * predicted)),
            features: { ...heuristic.features, heuristic_score: heuristic.score, predicted_reward: predicted },
          };
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
