import { deriveSeed } from '../../../platform/seeded-random.ts';
import type { HookPattern } from '../../../personas/index.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

/**
 * Asks the policy for the draft's candidates (pattern and shape each), avoiding patterns already
 * rejected for quality in this draft.
 */
export function createChooseHookPatternNode(deps: Pick<GraphDeps, 'policy' | 'candidates'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const avoidPatterns = draft.rejections
      .filter((r) => r.reason === 'rejected_quality')
      .map((r) => r.data?.hookPattern as HookPattern);
    const plans = await deps.policy.planDrafts({
      persona: draft.persona,
      taskId: draft.taskId,
      seed: deriveSeed(draft.seed, 'hook-pattern', String(draft.attempt)),
      postSeed: draft.seed,
      count: deps.candidates,
      avoidPatterns,
    });
    const first = plans[0]!;
    return {
      hookPattern: first.hookPattern,
      arms: first.arms ?? null,
      decisions: first.decisions,
      candidates: plans.map((plan) => ({ plan, hook: '', body: '', text: '' })),
      rejection: null,
      retry: false,
    };
  };
}
