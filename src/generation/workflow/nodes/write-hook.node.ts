import { listRecentTexts } from '../../../posts/index.ts';
import { deriveSeed } from '../../../platform/seeded-random.ts';
import { SENTENCE_WINDOW } from '../../writing/checks.ts';
import type { WriteHookInput } from '../../model/content-model.ts';
import type { Candidate, Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { addUsage, feedbackOf, meteredCalls, NO_USAGE } from '../metered-call.ts';

/** The one writer input for a candidate: the policy's pattern and arms, and the persona's recent texts. */
export function hookInputOf(draft: Draft, candidate: Candidate, index: number): WriteHookInput {
  const { plan } = candidate;
  return {
    persona: draft.persona,
    topic: draft.topic,
    hookPattern: plan.hookPattern,
    // The first candidate keeps the seed a single draft always had.
    seed: deriveSeed(draft.seed, 'hook', String(draft.attempt), ...(index > 0 ? [String(index)] : [])),
    feedback: feedbackOf(draft),
    recentTexts: draft.recentTexts,
    ...(plan.arms ? { arms: plan.arms } : {}),
    ...(plan.examples?.length ? { examples: plan.examples } : {}),
  };
}

/** Writes each candidate's hook, the candidates at once. */
export function createWriteHookNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    // Read on every attempt: an earlier variant of the same task may have been accepted meanwhile.
    const recentTexts = await listRecentTexts(deps.db, draft.persona.id, SENTENCE_WINDOW);
    const current = { ...draft, recentTexts };
    const inputs = draft.candidates.map((candidate, index) => hookInputOf(current, candidate, index));
    const calls = await meteredCalls(deps, draft, 'hook', inputs, (input) => deps.model.writeHook(input));
    const candidates: Candidate[] = draft.candidates.map((candidate, i) => ({
      ...candidate,
      hook: calls[i]!.output.text,
    }));
    const merged = calls.reduce((usage, call) => addUsage(usage, call.update), NO_USAGE);
    return { ...merged, candidates, hook: candidates[0]!.hook, recentTexts };
  };
}
