import { deriveSeed } from '../../../platform/seeded-random.ts';
import type { WriteBodyInput } from '../../model/content-model.ts';
import type { Candidate, Draft, DraftUpdate } from '../draft-state.ts';
import type { GraphDeps } from '../graph-deps.ts';
import { addUsage, meteredCalls, NO_USAGE } from '../metered-call.ts';
import { hookInputOf } from './write-hook.node.ts';

export const THREADS_MAX_CHARS = 500;
const SEPARATOR = '\n\n';

/**
 * Writes each candidate's body (the candidates at once), then keeps the candidate with the best
 * predicted reward plus its exploration bonus (without a trained predictor: the bonus alone, i.e.
 * the best Thompson draw).
 */
export function createWriteBodyNode(deps: Pick<GraphDeps, 'db' | 'model' | 'metrics' | 'reserveBudget' | 'policy'>) {
  return async (draft: Draft): Promise<DraftUpdate> => {
    const inputs = draft.candidates.map(
      (candidate, index): WriteBodyInput => ({
        ...hookInputOf(draft, candidate, index),
        hook: candidate.hook,
        maxChars: Math.max(0, THREADS_MAX_CHARS - [...candidate.hook].length - SEPARATOR.length),
        seed: deriveSeed(draft.seed, 'body', String(draft.attempt), ...(index > 0 ? [String(index)] : [])),
      }),
    );
    const calls = await meteredCalls(deps, draft, 'body', inputs, (input) => deps.model.writeBody(input));
    const written: Candidate[] = draft.candidates.map((candidate, i) => {
      const body = calls[i]!.output.text;
      return { ...candidate, body, text: body ? `${candidate.hook}${SEPARATOR}${body}` : candidate.hook };
    });
    const merged = calls.reduce((usage, call) => addUsage(usage, call.update), NO_USAGE);
    const best = await bestOf(deps, draft, written);
    return {
      ...merged,
      candidates: written,
      hookPattern: best.plan.hookPattern,
      arms: best.plan.arms ?? null,
      decisions: best.plan.decisions,
      hook: best.hook,
      body: best.body,
      text: best.text,
    };
  };
}

async function bestOf(deps: Pick<GraphDeps, 'policy'>, draft: Draft, candidates: Candidate[]): Promise<Candidate> {
  if (candidates.length === 1) return candidates[0]!;
  let best = candidates[0]!;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const predicted = (await deps.policy.predict({ persona: draft.persona, text: candidate.text })) ?? 0;
    const score = predicted + candidate.plan.bonus;
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}
