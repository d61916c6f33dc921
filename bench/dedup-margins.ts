/**
 * How the local embedding separates paraphrases from different posts, against the duplicate
 * threshold, on two fixed sets: test/fixtures/dedup-examples.json (the one the threshold was chosen
 * on, and the unit test pins) and test/fixtures/dedup-heldout.json (written afterwards, its
 * "unrelated" posts from the same niche as their original, so it is the harder and fairer figure).
 *   npx tsx bench/dedup-margins.ts
 */
import fs from 'node:fs';
import { cosineSimilarity } from '../src/platform/embeddings/embedder.ts';
import { createLocalEmbedder } from '../src/platform/embeddings/local-embedder.ts';
import { reportBench, type BenchRow } from './bench-result.ts';

interface Example {
  original: string;
  paraphrase: string;
  unrelated: string;
}

const embedder = createLocalEmbedder();
const threshold = embedder.duplicateThresholds.persona;
const f = (n: number) => n.toFixed(3);

async function report(name: string, file: string): Promise<BenchRow[]> {
  const examples = JSON.parse(
    fs.readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url), 'utf8'),
  ) as Example[];
  const vectors = await Promise.all(examples.map((e) => embedder.embed([e.original, e.paraphrase, e.unrelated])));
  const paraphrases = vectors.map(([original, paraphrase]) => cosineSimilarity(original!, paraphrase!));
  const sameNiche = vectors.map(([original, , unrelated]) => cosineSimilarity(original!, unrelated!));
  // Each example's post or paraphrase against every other example's.
  const across = vectors.flatMap(([original, paraphrase], i) =>
    vectors.flatMap(([otherOriginal, otherParaphrase], j) =>
      i === j
        ? []
        : [
            cosineSimilarity(original!, otherOriginal!),
            cosineSimilarity(original!, otherParaphrase!),
            cosineSimilarity(paraphrase!, otherParaphrase!),
          ],
    ),
  );
  const range = (values: number[]) => `${f(Math.min(...values))} – ${f(Math.max(...values))}`;
  const flagged = (values: number[]) => values.filter((v) => v >= threshold).length;
  console.log(`${name} (${file}, ${examples.length} examples):`);
  console.log(`  paraphrases caught:            ${flagged(paraphrases)}/${paraphrases.length}  ${range(paraphrases)}`);
  console.log(`  post vs its unrelated flagged: ${flagged(sameNiche)}/${sameNiche.length}  ${range(sameNiche)}`);
  console.log(`  posts across examples flagged: ${flagged(across)}/${across.length}  ${range(across)}`);
  // Not a speed figure: counts out of the set, with no baseline and no target.
  const row = (figure: string, value: number, of: number): BenchRow => ({
    figure: `${figure}, ${name}`,
    value,
    unit: `/ ${of}`,
    baseline: null,
    ratio: null,
    target: null,
    met: null,
  });
  return [
    row('paraphrases caught', flagged(paraphrases), paraphrases.length),
    row('post vs same-niche post flagged', flagged(sameNiche), sameNiche.length),
    row('posts across examples flagged', flagged(across), across.length),
  ];
}

console.log(`local embedding ${embedder.model}, persona duplicate threshold ${threshold}`);
reportBench('dedup-margins', [
  ...(await report('threshold set', 'dedup-examples.json')),
  ...(await report('held-out set', 'dedup-heldout.json')),
]);
