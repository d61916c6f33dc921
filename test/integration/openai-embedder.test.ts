import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../src/platform/embeddings/embedder.ts';
import { createOpenAiEmbedder } from '../../src/platform/embeddings/openai-embedder.ts';
import { createOpenAiClient } from '../../src/platform/llm/openai-client.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';

describe('embeddings from an OpenAI-compatible server', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
  });
  afterAll(() => server.close());

  it('sends the texts to /v1/embeddings and returns the vectors in input order', async () => {
    const embedder = createOpenAiEmbedder({
      client: createOpenAiClient({ baseURL: server.url, timeoutMs: 2000, maxRetries: 0 }),
      model: 'nomic-embed-text',
    });
    const [a, b, c] = await embedder.embed(['aaaa', 'bbbb', 'aaab']);
    expect(server.embeddingRequests[0]).toMatchObject({ model: 'nomic-embed-text', input: ['aaaa', 'bbbb', 'aaab'] });
    expect(a![0]).toBe(4);
    expect(b![1]).toBe(4);
    expect(cosineSimilarity(a!, c!)).toBeGreaterThan(cosineSimilarity(a!, b!));
    expect(embedder.model).toBe('nomic-embed-text');
  });
});
