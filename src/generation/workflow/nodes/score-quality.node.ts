import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import { gradeQuality } from '../draft-gate.ts';
import type { GraphDeps } from '../graph-deps.ts';

/** The gate: a low score or a failed writing check means another draft. */
export function createScoreQualityNode(deps: Pick<GraphDeps, 'settings' | 'metrics' | 'policy'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const { quality, refusal } = await gradeQuality(deps, draft);
    if (!refusal) return { quality };
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_quality' });
    return {
      quality,
      ...reject(draft, deps.settings.maxAttempts, {
        reason: 'rejected_quality',
        detail: refusal.detail,
        data: { score: refusal.score, hookPattern: draft.hookPattern, failed_checks: refusal.failedChecks },
      }),
    };
  };
}
