import { Annotation } from '@langchain/langgraph';
import type { HookPattern, Persona } from '../../personas/index.ts';
import type { RejectionReason } from '../../posts/index.ts';
import type { ContentArms } from '../model/content-arms.ts';
import type { Decision, DraftPlan } from './content-policy.ts';

export interface Rejection {
  reason: RejectionReason;
  detail: string;
  attempt: number;
  data?: Record<string, unknown>;
}

export interface QualityResult {
  score: number;
  features: Record<string, unknown>;
  /** The writing checks' verdict: `review` keeps an otherwise acceptable draft from auto-approval. */
  verdict?: 'accept' | 'review' | 'reject';
}

/** One of the drafts written for a post; the best one (by the policy's ranking) goes on. */
export interface Candidate {
  plan: DraftPlan;
  hook: string;
  body: string;
  text: string;
}

const sum = (a: number, b: number) => a + b;
const append = <T>(a: T[], b: T[]) => a.concat(b);

/** One draft's journey through the persona workflow. */
export const DraftState = Annotation.Root({
  taskId: Annotation<string>,
  persona: Annotation<Persona>,
  topic: Annotation<string>,
  variant: Annotation<number>,
  seed: Annotation<number>,
  attempt: Annotation<number>,
  hookPattern: Annotation<HookPattern | null>,
  /** The shape the kept candidate was written to; null when the writer chose. */
  arms: Annotation<ContentArms | null>,
  /** The learning loop's decisions behind the kept candidate, logged with the post. */
  decisions: Annotation<Decision[]>,
  candidates: Annotation<Candidate[]>,
  hook: Annotation<string>,
  body: Annotation<string>,
  text: Annotation<string>,
  quality: Annotation<QualityResult | null>,
  /** The latest check's verdict; null while the draft passes. */
  rejection: Annotation<Rejection | null>,
  /** Set with a rejection: whether the workflow writes a new draft or records this one as rejected. */
  retry: Annotation<boolean>,
  rejections: Annotation<Rejection[]>({ reducer: append, default: () => [] }),
  models: Annotation<Record<string, string>>({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  promptTokens: Annotation<number>({ reducer: sum, default: () => 0 }),
  completionTokens: Annotation<number>({ reducer: sum, default: () => 0 }),
  costUsd: Annotation<number>({ reducer: sum, default: () => 0 }),
  llmCallIds: Annotation<number[]>({ reducer: append, default: () => [] }),
  postId: Annotation<string | null>,
  /** The draft's meaning as a vector, and the closest earlier post, from the duplicate check. */
  embedding: Annotation<number[] | null>,
  nearest: Annotation<{ postId: string; similarity: number } | null>,
  /** The persona's recent post texts, newest first, loaded before the hook is written. */
  recentTexts: Annotation<string[]>({ reducer: (_, b) => b, default: () => [] }),
});

export type Draft = typeof DraftState.State;
export type DraftUpdate = typeof DraftState.Update;

export function initialDraft(input: Pick<Draft, 'taskId' | 'persona' | 'topic' | 'variant' | 'seed'>): DraftUpdate {
  return {
    ...input,
    attempt: 1,
    hookPattern: null,
    arms: null,
    decisions: [],
    candidates: [],
    hook: '',
    body: '',
    text: '',
    quality: null,
    rejection: null,
    retry: false,
    postId: null,
    embedding: null,
    nearest: null,
  };
}

/** A check failed: regenerate while attempts remain, else the draft is recorded with this reason. */
export function reject(draft: Draft, maxAttempts: number, rejection: Omit<Rejection, 'attempt'>): DraftUpdate {
  const full = { ...rejection, attempt: draft.attempt };
  const retry = draft.attempt < maxAttempts;
  return { rejection: full, rejections: [full], retry, attempt: retry ? draft.attempt + 1 : draft.attempt };
}
