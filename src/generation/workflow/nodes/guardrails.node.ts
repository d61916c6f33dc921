import { checkGuardrails } from '../../guardrails.ts';
import { reject, type Draft, type DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';

export function createGuardrailsNode(deps: Pick<GraphDeps, 'settings' | 'metrics'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const verdict = checkGuardrails({ text: draft.text, topic: draft.topic, persona: draft.persona });
    if (verdict.ok) return {};
    deps.metrics.postsGenerated.inc({ persona: draft.persona.slug, outcome: 'rejected_guard' });
    return reject(draft, deps.settings.maxAttempts, {
      reason: 'rejected_guard',
      detail: verdict.detail,
      data: { guard: verdict.reason },
    });
  };
}
