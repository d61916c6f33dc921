export { cosineSimilarity, type Embedder } from './embedder.ts';
export { createLocalEmbedder } from './local-embedder.ts';
export { createOpenAiEmbedder } from './openai-embedder.ts';
