import { deriveSeed } from '../../content/seeded-random.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { feedbackOf, meteredCall } from '../metered-call.ts';

export function createWriteHookNode(deps: Pick<GraphDeps, 'db' | 'model'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const { output, update } = await meteredCall(deps, draft, 'hook', () =>
      deps.model.writeHook({
        persona: draft.persona,
        topic: draft.topic,
        hookPattern: draft.hookPattern!,
        seed: deriveSeed(draft.seed, 'hook', String(draft.attempt)),
        feedback: feedbackOf(draft),
      }),
    );
    return { ...update, hook: output.text };
  };
}
