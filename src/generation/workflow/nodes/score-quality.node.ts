import { scorePost } from '../../quality-score.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/** How the gate weighs the predicted reward against the fixed heuristic once a predictor is trained. */
const PREDICTOR_WEIGHT = 0.5;

/**
 * The gate: the fixed quality heuristic, blended with the predictor's view when one is trained (its
 * predicted log-lift over the persona's baseline, squashed to 0..1 so no lift reads 0.5), and the
 * writing checks: a low score or a failed check means another draft.
 */
export function createScoreQualityNode(deps: Pick<GraphDeps, 'settings' | 'metrics' | 'policy'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const heuristic = scorePost({
      hook: draft.hook,
      body: draft.body,
      text: draft.text,
      persona: draft.persona,
      topic: draft.topic,
      recentTexts: draft.recentTexts,
    });
    const { checks, verdict, failed: failedChecks } = heuristic.writing;
    const predicted = await deps.policy.predict({ persona: draft.persona, text: draft.text });
    const score =
      predicted === null
        ? heuristic.score
        : (1 - PREDICTOR_WEIGHT) * heuristic.score + PREDICTOR_WEIGHT / (1 + Math.exp(-2 * predicted));
    const features =
      predicted === null
        ? { ...heuristic.features, checks, verdict }
        : {
            ...heuristic.features,
            checks,
            verdict,
            heuristic_score: heuristic.score,
            predicted_reward: predicted,
          };
    const result = { score, features, verdict };
    const min = deps.settings.qualityMinScore;
    // An unsourced statistic only keeps the draft from auto-approval (the verdict says review).
    const failed = failedChecks.filter((c) => c !== 'unsourced_statistic');
    if (score >= min && failed.length === 0) return { quality: result };
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_quality' });
    const detail = failed.length
      ? `failed writing checks: ${failed.map((c) => `${c} (${checks[c].note})`).join('; ')}`
      : `quality score ${score.toFixed(3)} is below the minimum ${min}`;
    return {
      quality: result,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_quality',
        detail,
        data: { score, hookPattern: draft.hookPattern, failed_checks: failed },
      }),
    };
  };
}
