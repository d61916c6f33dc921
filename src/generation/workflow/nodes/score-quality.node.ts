import { scorePost } from '../../quality-score.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/** Scores the draft and runs the writing checks: a low score or a failed check means another draft. */
export function createScoreQualityNode(deps: Pick<GraphDeps, 'settings' | 'metrics'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const quality = scorePost({
      hook: draft.hook,
      body: draft.body,
      text: draft.text,
      persona: draft.persona,
      topic: draft.topic,
      recentTexts: draft.recentTexts,
    });
    const { checks, verdict } = quality.writing;
    const result = { score: quality.score, features: { ...quality.features, checks, verdict }, verdict };
    const min = deps.settings.qualityMinScore;
    const failed = quality.writing.failed.filter((c) => c !== 'unsourced_statistic');
    if (quality.score >= min && failed.length === 0) return { quality: result };
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_quality' });
    const detail = failed.length
      ? `failed writing checks: ${failed.map((c) => `${c} (${quality.writing.checks[c].note})`).join('; ')}`
      : `quality score ${quality.score.toFixed(3)} is below the minimum ${min}`;
    return {
      quality: result,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_quality',
        detail,
        data: { score: quality.score, hookPattern: draft.hookPattern, failed_checks: failed },
      }),
    };
  };
}
