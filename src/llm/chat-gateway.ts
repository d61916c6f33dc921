import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import type { Queryable } from '../db/database.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ProviderBreaker } from './circuit-breaker.ts';
import { findCachedCompletion, storeCachedCompletion, type CachedCompletion } from './llm-cache.repository.ts';
import type { Pricing } from './pricing.ts';
import type { ChatMessage } from './prompts.ts';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Everything else that shapes the answer; part of the cache key, so a new seed is a new request. */
  params: { temperature: number; seed: number; max_tokens: number };
}

export interface ChatResult extends CachedCompletion {
  costUsd: number;
  priced: boolean;
  cacheHit: boolean;
}

export function cacheKeyOf(request: ChatRequest): string {
  return createHash('sha256').update(JSON.stringify([request.model, request.messages, request.params])).digest('hex');
}

/**
 * Every chat call passes here: answered from the cache when an identical request is fresh,
 * otherwise sent through the provider's circuit breaker (the SDK retries 408/409/429/5xx and
 * timeouts with exponential backoff and jitter, honouring Retry-After), then priced.
 */
export function createChatGateway(deps: {
  client: OpenAI;
  db: Queryable;
  metrics: Metrics;
  pricing: Pricing;
  breaker: ProviderBreaker;
  cacheTtlSeconds: number;
}) {
  const { client, db, metrics, pricing, breaker, cacheTtlSeconds } = deps;
  const caching = cacheTtlSeconds > 0;

  async function callProvider(request: ChatRequest): Promise<CachedCompletion> {
    const response = await breaker.execute(() =>
      client.chat.completions.create({ model: request.model, messages: request.messages, ...request.params }),
    );
    return {
      text: response.choices[0]?.message?.content ?? '',
      model: response.model || request.model,
      usage: {
        promptTokens: response.usage?.prompt_tokens ?? 0,
        completionTokens: response.usage?.completion_tokens ?? 0,
      },
    };
  }

  async function complete(request: ChatRequest): Promise<ChatResult> {
    const key = caching ? cacheKeyOf(request) : '';
    if (caching) {
      const cached = await findCachedCompletion(db, key);
      metrics.llmCacheRequests.inc({ result: cached ? 'hit' : 'miss' });
      if (cached) return { ...cached, costUsd: 0, priced: true, cacheHit: true };
    }
    const answer = await callProvider(request);
    if (caching && answer.text.trim()) await storeCachedCompletion(db, key, answer, cacheTtlSeconds);
    const { usd, priced } = pricing.priceOf(answer.model, answer.usage);
    return { ...answer, costUsd: usd, priced, cacheHit: false };
  }

  /** The most a request can cost: its prompt (about 4 characters a token) and every allowed completion token. */
  function estimateUsd(request: Pick<ChatRequest, 'model' | 'messages' | 'params'>): number {
    const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0);
    return pricing.priceOf(request.model, {
      promptTokens: Math.ceil(promptChars / 4),
      completionTokens: request.params.max_tokens,
    }).usd;
  }

  return { complete, estimateUsd };
}

export type ChatGateway = ReturnType<typeof createChatGateway>;
