import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database and the offline composer', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dir: path.resolve('data', 'pglite') });
    expect(config.llm.provider).toBe('offline');
    expect(config.embeddings).toEqual({ provider: 'local' });
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('selects PostgreSQL and an OpenAI-compatible provider from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/x',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
      LLM_DAILY_BUDGET_USD: '2.5',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x', poolMax: 10 });
    expect(config.llm).toMatchObject({ provider: 'openai-compatible', baseURL: 'http://localhost:11434/v1' });
    expect(config.llm.budgets.globalDailyUsd).toBe(2.5);
    expect(config.embeddings).toEqual({ provider: 'openai-compatible', model: 'nomic-embed-text' });
  });

  it('writes 3 candidates per learned post offline and 1 with a model, unless told', () => {
    expect(loadConfig({}).learning.candidates).toBe(3);
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).learning.candidates).toBe(1);
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }).learning.candidates).toBe(1);
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', LEARNING_CANDIDATES: '3' }).learning.candidates).toBe(3);
    expect(loadConfig({ LEARNING_CANDIDATES: '1' }).learning.candidates).toBe(1);
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://x'],
    ['API_ADMIN_TOKEN', 'short'],
    ['OPENAI_BASE_URL', 'not a url'],
    ['LLM_DAILY_BUDGET_USD', 'lots'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when its value %j is wrong', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
