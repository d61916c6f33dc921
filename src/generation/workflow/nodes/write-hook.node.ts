import { deriveSeed } from '../../../platform/seeded-random.ts';
import type { WriteHookInput } from '../../model/content-model.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { feedbackOf, meteredCall } from '../metered-call.ts';

export function createWriteHookNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const input: WriteHookInput = {
      persona: draft.persona,
      topic: draft.topic,
      hookPattern: draft.hookPattern!,
      seed: deriveSeed(draft.seed, 'hook', String(draft.attempt)),
      feedback: feedbackOf(draft),
    };
    const { output, update } = await meteredCall(deps, draft, 'hook', input, () => deps.model.writeHook(input));
    return { ...update, hook: output.text };
  };
}
