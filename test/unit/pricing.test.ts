import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, createPricing, loadPriceOverrides } from '../../src/platform/llm/pricing.ts';

const usage = (promptTokens: number, completionTokens: number) => ({ promptTokens, completionTokens });

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('the price table', () => {
  it('prices tokens per 1M from the defaults', () => {
    const pricing = createPricing({});
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M; gpt-4o: $2.50 / $10.
    expect(pricing.priceOf('gpt-4o-mini', usage(1_000_000, 1_000_000))).toEqual({ usd: 0.75, priced: true });
    expect(pricing.priceOf('gpt-4o', usage(1200, 300)).usd).toBeCloseTo(0.006, 12);
    expect(pricing.priceOf('gpt-4o', usage(0, 0))).toEqual({ usd: 0, priced: true });
  });

  it('prices a dated snapshot as its model, but not another model that shares a prefix', () => {
    const pricing = createPricing({});
    expect(pricing.priceOf('gpt-4o-mini-2024-07-18', usage(1e6, 0)).usd).toBeCloseTo(0.15, 12);
    expect(pricing.priceOf('gpt-4-0613', usage(1e6, 0)).priced).toBe(false);
    expect(pricing.priceOf('gpt-4.1-2025-04-14', usage(1e6, 0)).usd).toBeCloseTo(2, 12);
    // Listed snapshots keep their own price, and o3-mini is not o3.
    expect(pricing.priceOf('gpt-4o-2024-05-13', usage(1e6, 0)).usd).toBeCloseTo(5, 12);
    expect(pricing.priceOf('o3-mini', usage(1e6, 0)).usd).toBeCloseTo(DEFAULT_PRICES['o3-mini']!.prompt, 12);
    expect(pricing.priceOf('gpt-4o-realtime-preview', usage(1e6, 0)).priced).toBe(false);
  });

  it('prices an unknown model at 0, flags it, and warns once per model', () => {
    const { logger, lines } = capturingLogger();
    const pricing = createPricing({}, logger);
    expect(pricing.priceOf('llama3.1:8b', usage(500, 500))).toEqual({ usd: 0, priced: false });
    expect(pricing.priceOf('llama3.1:8b', usage(500, 500))).toEqual({ usd: 0, priced: false });
    expect(pricing.priceOf('constructor', usage(500, 500))).toEqual({ usd: 0, priced: false });
    expect(lines.map((l) => l.model)).toEqual(['llama3.1:8b', 'constructor']);
  });

  it('merges a file, then inline JSON, over the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prices-'));
    const file = path.join(dir, 'prices.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ 'llama3.1:8b': { prompt: 0.05, completion: 0.1 }, 'gpt-4o': { prompt: 1, completion: 1 } }),
    );
    try {
      const overrides = loadPriceOverrides({ pricesFile: file, pricesJson: '{"gpt-4o":{"prompt":2,"completion":4}}' });
      const pricing = createPricing(overrides);
      expect(pricing.priceOf('llama3.1:8b', usage(1e6, 1e6))).toMatchObject({ priced: true });
      expect(pricing.priceOf('llama3.1:8b', usage(1e6, 1e6)).usd).toBeCloseTo(0.15, 12);
      expect(pricing.priceOf('gpt-4o', usage(1e6, 1e6)).usd).toBe(6);
      expect(pricing.priceOf('gpt-4o-mini', usage(1e6, 0)).usd).toBeCloseTo(0.15, 12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed table, naming where it came from', () => {
    expect(() => loadPriceOverrides({ pricesJson: 'not json' })).toThrow(/^LLM_PRICES must be JSON like/);
    expect(() => loadPriceOverrides({ pricesJson: '{"m":{"prompt":-1,"completion":1}}' })).toThrow(/LLM_PRICES/);
    expect(() => loadPriceOverrides({ pricesJson: '{"m":{"prompt":1}}' })).toThrow(/LLM_PRICES/);
    expect(() => loadPriceOverrides({ pricesJson: '{"m":{"prompt":1,"completion":1,"cached":0.5}}' })).toThrow(
      /LLM_PRICES/,
    );
    expect(() => loadPriceOverrides({ pricesFile: '/nonexistent/prices.json' })).toThrow(/ENOENT/);
    expect(loadPriceOverrides({})).toEqual({});
  });
});
