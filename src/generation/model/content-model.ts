import type { ModelUsage } from '../../platform/llm/index.ts';
import type { HookPattern, PersonaFields } from '../../personas/index.ts';
import type { ContentArms } from './content-arms.ts';

/** A persona's model tiers; null means the configured default. */
export interface ModelChoice {
  hook_model: string | null;
  body_model: string | null;
}

/**
 * The one port every text model sits behind. The workflow asks for a hook, then a body;
 * providers (the offline composer, an OpenAI-compatible API) decide how to produce them.
 */
export interface WriteHookInput {
  persona: PersonaFields & Partial<ModelChoice>;
  topic: string;
  hookPattern: HookPattern;
  /** Deterministic seed for this draft: same seed and inputs, same text (offline composer). */
  seed: number;
  /** Why the previous attempt was rejected, so a regeneration can steer away from it. */
  feedback?: string;
  /** Length band, closing and emoji to write to; unset, the writer chooses (today's behaviour). */
  arms?: ContentArms;
  /** The persona's recent post texts, newest first: a writer does not say the same sentence again. */
  recentTexts?: readonly string[];
  /** The persona's best-performing recent posts, shown to a model as examples of what its audience rewards. */
  examples?: string[];
}

export interface WriteBodyInput extends WriteHookInput {
  hook: string;
  /** Characters the body may use so hook + body fit Threads' 500-character limit. */
  maxChars: number;
}

export interface ModelOutput {
  text: string;
  usage: ModelUsage;
  /** The model id as recorded on posts and llm_calls, e.g. "offline-composer-v1" or "gpt-4o-mini". */
  model: string;
  provider: 'offline' | 'openai-compatible';
  /** Dollars from the price table; 0 for cache hits and the offline composer. */
  costUsd: number;
  cacheHit: boolean;
  /** False when the model is not in the price table (its cost is then 0 and unreliable). */
  priced: boolean;
}

/** What a call will be, known before it is made. */
export interface CallPlan {
  /** The model asked for (the answer may name a dated version of it). */
  model: string;
  /** The most the call can cost, for the budget check made before it. */
  maxUsd: number;
}

export interface ContentModel {
  readonly provider: ModelOutput['provider'];
  writeHook(input: WriteHookInput): Promise<ModelOutput>;
  writeBody(input: WriteBodyInput): Promise<ModelOutput>;
  planCall(service: 'hook' | 'body', input: WriteHookInput): CallPlan;
}
