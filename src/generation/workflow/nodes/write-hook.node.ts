import { listRecentTexts } from '../../../posts/index.ts';
import { deriveSeed } from '../../../platform/seeded-random.ts';
import { SENTENCE_WINDOW } from '../../writing/checks.ts';
import type { WriteHookInput } from '../../model/content-model.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { feedbackOf, meteredCall } from '../metered-call.ts';

export function createWriteHookNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    // Read on every attempt: an earlier variant of the same task may have been accepted meanwhile.
    const recentTexts = await listRecentTexts(deps.db, draft.persona.id, SENTENCE_WINDOW);
    const input: WriteHookInput = {
      recentTexts,
      persona: draft.persona,
      topic: draft.topic,
      hookPattern: draft.hookPattern!,
      seed: deriveSeed(draft.seed, 'hook', String(draft.attempt)),
      feedback: feedbackOf(draft),
    };
    const { output, update } = await meteredCall(deps, draft, 'hook', input, () => deps.model.writeHook(input));
    return { ...update, hook: output.text, recentTexts };
  };
}
