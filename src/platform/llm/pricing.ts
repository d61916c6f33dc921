import { errorMessage } from '../errors.ts';
import fs from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ModelUsage } from './chat-types.ts';

/** Dollars per 1M tokens. */
export interface ModelPrice {
  prompt: number;
  completion: number;
}

/** OpenAI list prices (USD per 1M tokens), late 2025; override with LLM_PRICES_FILE or LLM_PRICES. */
export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'gpt-5': { prompt: 1.25, completion: 10 },
  'gpt-5-mini': { prompt: 0.25, completion: 2 },
  'gpt-5-nano': { prompt: 0.05, completion: 0.4 },
  'gpt-4.1': { prompt: 2, completion: 8 },
  'gpt-4.1-mini': { prompt: 0.4, completion: 1.6 },
  'gpt-4.1-nano': { prompt: 0.1, completion: 0.4 },
  'gpt-4o': { prompt: 2.5, completion: 10 },
  // The first gpt-4o snapshot kept its launch price.
  'gpt-4o-2024-05-13': { prompt: 5, completion: 15 },
  'gpt-4o-mini': { prompt: 0.15, completion: 0.6 },
  o3: { prompt: 2, completion: 8 },
  'o3-mini': { prompt: 1.1, completion: 4.4 },
  'o4-mini': { prompt: 1.1, completion: 4.4 },
  'text-embedding-3-small': { prompt: 0.02, completion: 0 },
  'text-embedding-3-large': { prompt: 0.13, completion: 0 },
};

const priceTableSchema = z.record(
  z.string().min(1),
  z.object({ prompt: z.number().min(0), completion: z.number().min(0) }).strict(),
);

/** Reads the overrides named by the config; a bad file or JSON stops the start with a clear message. */
export function loadPriceOverrides(source: { pricesFile?: string; pricesJson?: string }): Record<string, ModelPrice> {
  const parse = (text: string, where: string) => {
    try {
      return priceTableSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(
        `${where} must be JSON like {"my-model":{"prompt":0.5,"completion":1.5}} (dollars per 1M tokens): ${errorMessage(
          error,
        )}`,
      );
    }
  };
  return {
    ...(source.pricesFile
      ? parse(fs.readFileSync(source.pricesFile, 'utf8'), `LLM_PRICES_FILE (${source.pricesFile})`)
      : {}),
    ...(source.pricesJson ? parse(source.pricesJson, 'LLM_PRICES') : {}),
  };
}

export function createPricing(overrides: Record<string, ModelPrice>, logger?: Logger) {
  // A Map, so a model called "constructor" is unknown rather than priced by Object.prototype.
  const table = new Map(Object.entries({ ...DEFAULT_PRICES, ...overrides }));
  const warned = new Set<string>();

  // A dated snapshot ("gpt-4o-mini-2024-07-18", "gpt-4-0613") costs what its model costs unless listed itself;
  // any other suffix is another model ("o3-mini" is not "o3"), so it must be listed to be priced.
  function priceFor(model: string): ModelPrice | null {
    return table.get(model) ?? table.get(model.replace(/-(\d{4}-\d{2}-\d{2}|\d{4})$/, '')) ?? null;
  }

  /** Dollars for the tokens used; an unknown model costs 0 and is flagged as not priced. */
  function priceOf(model: string, usage: ModelUsage): { usd: number; priced: boolean } {
    const price = priceFor(model);
    if (!price) {
      if (!warned.has(model)) {
        warned.add(model);
        logger?.warn({ model }, 'model is not in the price table: its calls are recorded at $0 (set LLM_PRICES)');
      }
      return { usd: 0, priced: false };
    }
    return {
      usd: (usage.promptTokens * price.prompt + usage.completionTokens * price.completion) / 1_000_000,
      priced: true,
    };
  }

  return { priceOf };
}

export type Pricing = ReturnType<typeof createPricing>;
