import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleModel } from '../../src/llm/openai-compatible-model.ts';
import type { WriteHookInput } from '../../src/llm/content-model.ts';
import type { PersonaFields } from '../../src/personas/persona.schema.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';

const persona: PersonaFields = {
  slug: 'frugal-fran',
  name: 'Frugal Fran',
  niche: 'personal finance for renters',
  audience: 'people in their twenties renting in big cities',
  voice: 'dry, practical, slightly sarcastic big sister',
  tone: 'wry',
  topics: ['budgeting', 'rent'],
  vocabulary: ['cash cushion'],
  banned_words: ['hustle'],
  banned_topics: ['crypto'],
  hook_patterns: ['contrarian', 'mistake'],
};

const hookInput: WriteHookInput = { persona, topic: 'emergency funds', hookPattern: 'contrarian', seed: 42 };

describe('createOpenAiCompatibleModel against a fake OpenAI server', () => {
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  const model = (maxRetries = 0) =>
    createOpenAiCompatibleModel({ baseURL: server.url, model: 'llama3.1:8b', timeoutMs: 5_000, maxRetries });

  it('writes a hook with the persona voice and hook pattern, returning cleaned text and usage', async () => {
    server.respondWith([
      chatCompletion('  "Your emergency fund is\ntoo big."  \n', { model: 'llama3.1:8b-q4', promptTokens: 123, completionTokens: 17 }),
    ]);

    const out = await model().writeHook({ ...hookInput, feedback: 'it sounded like an ad' });

    expect(out).toEqual({
      text: 'Your emergency fund is too big.',
      usage: { promptTokens: 123, completionTokens: 17 },
      model: 'llama3.1:8b-q4',
      provider: 'openai-compatible',
    });
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0];
    expect(body.model).toBe('llama3.1:8b');
    expect(body.seed).toBe(42);
    expect(body.temperature).toBe(0.9);
    expect(body.max_tokens).toBeLessThanOrEqual(100);
    const [system, user] = body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Frugal Fran');
    expect(system.content).toContain(persona.voice);
    expect(system.content).toContain('hustle');
    expect(system.content).toContain('crypto');
    expect(user.role).toBe('user');
    expect(user.content).toContain('contrarian');
    expect(user.content).toContain('emergency funds');
    expect(user.content).toContain('The previous draft was rejected because it sounded like an ad; avoid that.');
  });

  it('writes a body within the maxChars instruction and defaults usage to 0 when omitted', async () => {
    server.respondWith(() => chatCompletion('Keep three months of rent.\nThen invest the rest.', { usage: false }));

    const out = await model().writeBody({ ...hookInput, hook: 'Your emergency fund is too big.', maxChars: 420 });

    expect(out.text).toBe('Keep three months of rent.\nThen invest the rest.');
    expect(out.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(out.model).toBe('fake-model');
    const user = server.requests[0].messages[1].content as string;
    expect(user).toContain('at most 420 characters');
    expect(user).toContain('Your emergency fund is too big.');
    expect(user).not.toContain('rejected');
  });

  it('retries a 500 through the SDK when maxRetries >= 1', async () => {
    server.respondWith([
      { status: 500, json: { error: { message: 'boom', type: 'server_error' } }, headers: { 'retry-after-ms': '10' } },
      chatCompletion('Second time lucky.'),
    ]);

    const out = await model(1).writeHook(hookInput);

    expect(out.text).toBe('Second time lucky.');
    expect(server.requests).toHaveLength(2);
  });

  it('throws a clear error on an empty completion', async () => {
    server.respondWith(() => chatCompletion('   '));
    await expect(model().writeHook(hookInput)).rejects.toThrow(/empty completion/);

    server.respondWith(() => chatCompletion(null));
    await expect(model().writeBody({ ...hookInput, hook: 'x', maxChars: 300 })).rejects.toThrow(/empty completion/);
  });
});
