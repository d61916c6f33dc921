import { deriveSeed } from '../../../platform/seeded-random.ts';
import type { WriteBodyInput } from '../../model/content-model.ts';
import type { Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { feedbackOf, meteredCall } from '../metered-call.ts';

export const THREADS_MAX_CHARS = 500;
const SEPARATOR = '\n\n';

export function createWriteBodyNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const input: WriteBodyInput = {
      persona: draft.persona,
      topic: draft.topic,
      hookPattern: draft.hookPattern!,
      hook: draft.hook,
      maxChars: Math.max(0, THREADS_MAX_CHARS - [...draft.hook].length - SEPARATOR.length),
      seed: deriveSeed(draft.seed, 'body', String(draft.attempt)),
      feedback: feedbackOf(draft),
      recentTexts: draft.recentTexts,
    };
    const { output, update } = await meteredCall(deps, draft, 'body', input, () => deps.model.writeBody(input));
    const body = output.text;
    return { ...update, body, text: body ? `${draft.hook}${SEPARATOR}${body}` : draft.hook };
  };
}
