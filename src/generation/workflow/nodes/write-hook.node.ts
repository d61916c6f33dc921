import { deriveSeed } from '../../../platform/seeded-random.ts';
import type { WriteHookInput } from '../../model/content-model.ts';
import type { Candidate, Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { addUsage, feedbackOf, meteredCall, NO_USAGE } from '../metered-call.ts';

export function hookInputOf(draft: Draft, candidate: Candidate, index: number): WriteHookInput {
  const { plan } = candidate;
  return {
    persona: draft.persona,
    topic: draft.topic,
    hookPattern: plan.hookPattern,
    // The first candidate keeps the seed a single draft always had.
    seed: deriveSeed(draft.seed, 'hook', String(draft.attempt), ...(index > 0 ? [String(index)] : [])),
    feedback: feedbackOf(draft),
    ...(plan.arms ? { arms: plan.arms } : {}),
    ...(plan.examples?.length ? { examples: plan.examples } : {}),
  };
}

/** Writes each candidate's hook. */
export function createWriteHookNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const candidates: Candidate[] = [];
    let merged = NO_USAGE;
    for (const [index, candidate] of draft.candidates.entries()) {
      const input = hookInputOf(draft, candidate, index);
      const { output, update } = await meteredCall(deps, draft, 'hook', input, () => deps.model.writeHook(input));
      candidates.push({ ...candidate, hook: output.text });
      merged = addUsage(merged, update);
    }
    return { ...merged, candidates, hook: candidates[0]!.hook };
  };
}
