import { deriveSeed } from '../../content/seeded-random.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { feedbackOf, meteredCall } from '../metered-call.ts';

export const THREADS_MAX_CHARS = 500;
const SEPARATOR = '\n\n';

export function createWriteBodyNode(deps: Pick<GraphDeps, 'db' | 'model'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const maxChars = Math.max(0, THREADS_MAX_CHARS - [...draft.hook].length - SEPARATOR.length);
    const { output, update } = await meteredCall(deps, draft, 'body', () =>
      deps.model.writeBody({
        persona: draft.persona,
        topic: draft.topic,
        hookPattern: draft.hookPattern!,
        hook: draft.hook,
        maxChars,
        seed: deriveSeed(draft.seed, 'body', String(draft.attempt)),
        feedback: feedbackOf(draft),
      }),
    );
    const body = output.text;
    return { ...update, body, text: body ? `${draft.hook}${SEPARATOR}${body}` : draft.hook };
  };
}
