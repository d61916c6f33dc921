import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../../src/platform/embeddings/embedder.ts';
import { createLocalEmbedder } from '../../src/platform/embeddings/local-embedder.ts';

const examples = JSON.parse(fs.readFileSync(new URL('../fixtures/dedup-examples.json', import.meta.url), 'utf8')) as {
  original: string;
  paraphrase: string;
  unrelated: string;
}[];

describe('the local embedding (mean-pooled word vectors)', () => {
  const embedder = createLocalEmbedder();
  const { persona } = embedder.duplicateThresholds;

  it('puts every paraphrase above the duplicate threshold and every unrelated or different post below it', async () => {
    for (const [i, example] of examples.entries()) {
      const [original, paraphrase, unrelated] = await embedder.embed([
        example.original,
        example.paraphrase,
        example.unrelated,
      ]);
      expect(cosineSimilarity(original!, paraphrase!), `example ${i} paraphrase`).toBeGreaterThanOrEqual(persona);
      expect(cosineSimilarity(original!, unrelated!), `example ${i} unrelated`).toBeLessThan(persona);
      for (const [j, other] of examples.entries()) {
        if (i === j) continue;
        const [otherVector] = await embedder.embed([other.original]);
        expect(cosineSimilarity(original!, otherVector!), `examples ${i} and ${j}`).toBeLessThan(persona);
      }
    }
  });

  it('is deterministic and normalised', async () => {
    const [a, b] = await embedder.embed([examples[0]!.original, examples[0]!.original]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(100);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6);
  });

  it('gives a text of unknown words a zero vector that is similar to nothing', async () => {
    const [unknown, known] = await embedder.embed(['zxqv blorptastic qwertyuiop', examples[0]!.original]);
    expect(unknown!.every((v) => v === 0)).toBe(true);
    expect(cosineSimilarity(unknown!, known!)).toBe(0);
  });
});
