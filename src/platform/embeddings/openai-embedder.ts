import type OpenAI from 'openai';
import type { Embedder } from './embedder.ts';

/** Embeddings from an OpenAI-compatible server (EMBEDDINGS_MODEL); the SDK retries transient failures. */
export function createOpenAiEmbedder(options: { client: OpenAI; model: string }): Embedder {
  return {
    model: options.model,
    // Trained sentence embedders put paraphrases far above unrelated texts.
    duplicateThresholds: { persona: 0.9, global: 0.95 },
    async embed(texts) {
      if (texts.length === 0) return [];
      const response = await options.client.embeddings.create({ model: options.model, input: texts });
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      if (ordered.length !== texts.length) {
        throw new Error(`embeddings server returned ${ordered.length} vectors for ${texts.length} texts`);
      }
      return ordered.map((item) => item.embedding);
    },
  };
}
