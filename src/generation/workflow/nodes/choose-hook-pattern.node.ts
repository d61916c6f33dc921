import { createSeededRandom, deriveSeed, pick } from '../../../platform/seeded-random.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';

/** Picks one of the persona's hook patterns, avoiding those already rejected for quality in this draft. */
export function createChooseHookPatternNode() {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const rng = createSeededRandom(deriveSeed(draft.seed, 'hook-pattern', String(draft.attempt)));
    const failed = new Set(
      draft.rejections.filter((r) => r.reason === 'rejected_quality').map((r) => r.data?.hookPattern),
    );
    const fresh = draft.persona.hook_patterns.filter((pattern) => !failed.has(pattern));
    const hookPattern = pick(rng, fresh.length > 0 ? fresh : draft.persona.hook_patterns);
    return { hookPattern, rejection: null, retry: false };
  };
}
