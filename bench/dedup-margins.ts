/**
 * How far the local embedding keeps paraphrases from different posts on the fixed examples
 * (test/fixtures/dedup-examples.json), against the duplicate threshold: the margin the unit test
 * only checks the sign of.  npx tsx bench/dedup-margins.ts
 */
import fs from 'node:fs';
import { cosineSimilarity } from '../src/embeddings/embedder.ts';
import { createLocalEmbedder } from '../src/embeddings/local-embedder.ts';

const examples = JSON.parse(fs.readFileSync(new URL('../test/fixtures/dedup-examples.json', import.meta.url), 'utf8')) as {
  original: string;
  paraphrase: string;
  unrelated: string;
}[];
const embedder = createLocalEmbedder();
const vectors = await Promise.all(examples.map((e) => embedder.embed([e.original, e.paraphrase, e.unrelated])));

const paraphrases = vectors.map(([original, paraphrase]) => cosineSimilarity(original!, paraphrase!));
// Each post against its unrelated one, and each example's post or paraphrase against every other example's.
const different = vectors.flatMap(([original, paraphrase, unrelated], i) => [
  cosineSimilarity(original!, unrelated!),
  ...vectors.flatMap(([otherOriginal, otherParaphrase], j) =>
    i === j
      ? []
      : [
          cosineSimilarity(original!, otherOriginal!),
          cosineSimilarity(original!, otherParaphrase!),
          cosineSimilarity(paraphrase!, otherParaphrase!),
        ],
  ),
]);
const f = (n: number) => n.toFixed(3);
console.log(`${examples.length} examples, local embedding, duplicate threshold ${embedder.duplicateThresholds.persona}`);
console.log(`paraphrases:     ${f(Math.min(...paraphrases))} – ${f(Math.max(...paraphrases))}`);
console.log(`different posts: ${f(Math.min(...different))} – ${f(Math.max(...different))} (${different.length} pairs)`);
