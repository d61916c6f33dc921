// Run at `npm install` so the first start does not spend ~10 s building the word-vector cache.
import { DEFAULT_WORD_VECTORS_DIR, buildWordVectorCache } from '../src/platform/embeddings/word-vectors.ts';

const started = Date.now();
buildWordVectorCache(DEFAULT_WORD_VECTORS_DIR);
console.log(`word vectors cached in ${DEFAULT_WORD_VECTORS_DIR} (${Date.now() - started} ms)`);
