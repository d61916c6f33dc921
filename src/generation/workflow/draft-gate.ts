import type { Embedder } from '../../platform/embeddings/index.ts';
import type { Persona } from '../../personas/index.ts';
import type { Neighbour, VectorStore } from '../../posts/index.ts';
import { scorePost } from '../quality-score.ts';
import type { ContentPolicy } from './content-policy.ts';
import type { QualityResult } from './draft-state.ts';
import type { GenerationSettings } from './graph-deps.ts';

/**
 * The checks a draft's text must pass to wait for approval, shared by the workflow's nodes and a
 * user's edit of a draft, so an edited text meets exactly the bar a written one does.
 */

/** How the gate weighs the predicted reward against the fixed heuristic once a predictor is trained. */
const PREDICTOR_WEIGHT = 0.5;

/** How many recent posts are compared: the persona's own, then everyone's. */
const PERSONA_SCAN = 500;
const GLOBAL_SCAN = 5000;

export interface QualityGrade {
  quality: QualityResult;
  /** Why the gate refuses the text; null when it passes. */
  refusal: { detail: string; score: number; failedChecks: string[] } | null;
}

/**
 * The fixed quality heuristic, blended with the predictor's view when one is trained (its predicted
 * log-lift over the persona's baseline, squashed to 0..1 so no lift reads 0.5), and the writing
 * checks: a low score or a failed check refuses the text.
 */
export async function gradeQuality(
  deps: { policy: Pick<ContentPolicy, 'predict'>; settings: Pick<GenerationSettings, 'qualityMinScore'> },
  draft: { persona: Persona; topic: string; hook: string; body: string; text: string; recentTexts: readonly string[] },
): Promise<QualityGrade> {
  const heuristic = scorePost(draft);
  const { checks, verdict, failed: failedChecks } = heuristic.writing;
  const predicted = await deps.policy.predict({ persona: draft.persona, text: draft.text });
  const score =
    predicted === null
      ? heuristic.score
      : (1 - PREDICTOR_WEIGHT) * heuristic.score + PREDICTOR_WEIGHT / (1 + Math.exp(-2 * predicted));
  const features =
    predicted === null
      ? { ...heuristic.features, checks, verdict }
      : { ...heuristic.features, checks, verdict, heuristic_score: heuristic.score, predicted_reward: predicted };
  const quality = { score, features, verdict };
  const min = deps.settings.qualityMinScore;
  // An unsourced statistic only keeps the draft from auto-approval (the verdict says review).
  const failed = failedChecks.filter((c) => c !== 'unsourced_statistic');
  if (score >= min && failed.length === 0) return { quality, refusal: null };
  const detail = failed.length
    ? `failed writing checks: ${failed.map((c) => `${c} (${checks[c].note})`).join('; ')}`
    : `quality score ${score.toFixed(3)} is below the minimum ${min}`;
  return { quality, refusal: { detail, score, failedChecks: failed } };
}

export interface DuplicateVerdict {
  embedding: number[];
  /** The closest earlier post, any persona's. */
  nearest: { postId: string; similarity: number } | null;
  /** The post this text repeats, past the persona's or the global threshold; null when none. */
  hit: { scope: 'persona' | 'global'; match: Neighbour; threshold: number; detail: string } | null;
}

export type DuplicateCheck = (input: {
  personaId: string;
  text: string;
  excludePostId?: string;
}) => Promise<DuplicateVerdict>;

/**
 * Compares a text by meaning with the persona's recent posts, and with a higher bar with every
 * persona's. `excludePostId` leaves out the post being edited, whose old text is stored as a vector.
 */
export function createDuplicateCheck(
  deps: { embedder: Embedder; vectors: Pick<VectorStore, 'nearest'> } & {
    settings: Pick<GenerationSettings, 'personaDuplicateThreshold' | 'globalDuplicateThreshold'>;
  },
): DuplicateCheck {
  const thresholds = {
    persona: deps.settings.personaDuplicateThreshold ?? deps.embedder.duplicateThresholds.persona,
    global: deps.settings.globalDuplicateThreshold ?? deps.embedder.duplicateThresholds.global,
  };
  return async ({ personaId, text, excludePostId }) => {
    const [vector] = await deps.embedder.embed([text]);
    const search = { vector: vector!, model: deps.embedder.model, limit: 1, excludePostId };
    const [[own], [anyone]] = await Promise.all([
      deps.vectors.nearest({ ...search, personaId, scanLimit: PERSONA_SCAN }),
      deps.vectors.nearest({ ...search, scanLimit: GLOBAL_SCAN }),
    ]);
    const nearest = [own, anyone].filter((n): n is Neighbour => n !== undefined).sort((a, b) => b.score - a.score)[0];
    const found =
      own && own.score >= thresholds.persona
        ? { scope: 'persona' as const, match: own, threshold: thresholds.persona }
        : anyone && anyone.score >= thresholds.global
          ? { scope: 'global' as const, match: anyone, threshold: thresholds.global }
          : null;
    return {
      embedding: vector!,
      nearest: nearest ? { postId: nearest.post_id, similarity: nearest.score } : null,
      hit: found && {
        ...found,
        detail: `similarity ${found.match.score.toFixed(3)} to post ${found.match.post_id} reaches the ${found.scope} threshold ${found.threshold}`,
      },
    };
  };
}
