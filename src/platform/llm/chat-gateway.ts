import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Queryable } from '../db/index.ts';
import type { Metrics } from '../observability/index.ts';
import type { ProviderBreaker } from './circuit-breaker.ts';
import type { ChatMessage, ModelUsage } from './chat-types.ts';
import {
  deleteExpiredCompletions,
  findCachedCompletion,
  storeCachedCompletion,
  type CachedCompletion,
} from './llm-cache.repository.ts';
import type { Pricing } from './pricing.ts';
import { createProviderRetry } from './provider-retry.ts';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Everything else that shapes the answer; part of the cache key, so a new seed is a new request. */
  params: { temperature: number; seed: number; max_tokens: number };
}

interface ChatResult extends CachedCompletion {
  costUsd: number;
  priced: boolean;
  cacheHit: boolean;
}

/** Expired cache rows are deleted at most this often, by whichever call stores an answer. */
const PURGE_EVERY_MS = 10 * 60_000;

function cacheKeyOf(request: ChatRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.model, request.messages, request.params]))
    .digest('hex');
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const KEY_LIKE = /\b(?:sk|rk)-[\w*-]{6,}/g;

/** Providers echo the key they were sent in a 401 ("Incorrect API key provided: sk-…"); it must not reach logs or llm_calls. */
function withoutKeys(error: unknown, apiKey: string | null): unknown {
  if (!(error instanceof Error)) return error;
  const scrub = (text: string) =>
    (apiKey ? text.replaceAll(apiKey, '[redacted]') : text).replace(KEY_LIKE, '[redacted]');
  error.message = scrub(error.message);
  if (error.stack) error.stack = scrub(error.stack);
  return error;
}

/**
 * Every chat call passes here: answered from the cache while an identical request is fresh,
 * otherwise sent through the provider's circuit breaker, which wraps the retries (so one
 * exhausted call is one breaker failure), each attempt bounded by the timeout; then priced.
 * Recording (llm_calls, token and dollar metrics) is the caller's: runtime/metered-call.ts.
 */
export function createChatGateway(deps: {
  client: OpenAI;
  db: Queryable;
  metrics: Pick<Metrics, 'llmCacheRequests'>;
  pricing: Pricing;
  breaker: ProviderBreaker;
  cacheTtlSeconds: number;
  /** Per attempt. */
  timeoutMs: number;
  maxRetries: number;
  logger?: Logger;
}) {
  const { client, db, metrics, pricing, breaker, cacheTtlSeconds, timeoutMs, logger } = deps;
  const caching = cacheTtlSeconds > 0;
  const retry = createProviderRetry({
    maxRetries: deps.maxRetries,
    onRetry: ({ attempt, delayMs, error }) =>
      logger?.info(
        {
          dependency: breaker.dependency,
          attempt,
          delayMs: Math.round(delayMs),
          reason: String(withoutKeys(error, client.apiKey)),
        },
        'LLM call retried',
      ),
  });
  const usageMissing = new Set<string>();
  let purgedAt = 0;

  function usageOf(response: OpenAI.Chat.ChatCompletion, request: ChatRequest, text: string): ModelUsage {
    if (response.usage) {
      return { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens };
    }
    // Spend recorded as 0 would let a persona pass its budget unnoticed; an estimate is the lesser error.
    if (!usageMissing.has(request.model)) {
      usageMissing.add(request.model);
      logger?.warn({ model: request.model }, 'provider reported no token usage: tokens are estimated from the text');
    }
    return {
      promptTokens: request.messages.reduce((n, m) => n + estimateTokens(m.content), 0),
      completionTokens: estimateTokens(text),
    };
  }

  async function callProvider(request: ChatRequest): Promise<CachedCompletion> {
    const response = await breaker
      .execute(() =>
        retry.execute(() =>
          client.chat.completions.create(
            { model: request.model, messages: request.messages, ...request.params },
            // The retries are ours (bounded Retry-After, inside the breaker): the SDK's are off.
            { timeout: timeoutMs, maxRetries: 0 },
          ),
        ),
      )
      .catch((error: unknown) => {
        throw withoutKeys(error, client.apiKey);
      });
    const text = response.choices[0]?.message?.content ?? '';
    return { text, model: response.model || request.model, usage: usageOf(response, request, text) };
  }

  async function store(key: string, answer: CachedCompletion): Promise<void> {
    await storeCachedCompletion(db, key, answer, cacheTtlSeconds);
    if (Date.now() - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = Date.now();
    await deleteExpiredCompletions(db);
  }

  async function complete(request: ChatRequest): Promise<ChatResult> {
    const key = caching ? cacheKeyOf(request) : '';
    if (caching) {
      const cached = await findCachedCompletion(db, key);
      metrics.llmCacheRequests.inc({ result: cached ? 'hit' : 'miss' });
      if (cached) return { ...cached, costUsd: 0, priced: true, cacheHit: true };
    }
    const answer = await callProvider(request);
    if (caching && answer.text.trim()) await store(key, answer);
    const { usd, priced } = pricing.priceOf(answer.model, answer.usage);
    return { ...answer, costUsd: usd, priced, cacheHit: false };
  }

  /** The most a request can cost: its prompt (about 4 characters a token) and every allowed completion token. */
  function estimateUsd(request: ChatRequest): number {
    return pricing.priceOf(request.model, {
      promptTokens: request.messages.reduce((n, m) => n + estimateTokens(m.content), 0),
      completionTokens: request.params.max_tokens,
    }).usd;
  }

  return { complete, estimateUsd };
}

export type ChatGateway = ReturnType<typeof createChatGateway>;
