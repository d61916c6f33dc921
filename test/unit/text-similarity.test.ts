import { describe, it, expect } from 'vitest';
import { findMostSimilar, textSimilarity } from '../../src/content/text-similarity.ts';

const post = 'Stop writing long cold emails. Three short lines and one clear question get more replies.';

describe('textSimilarity', () => {
  it('is 1 for identical text and ignores case, punctuation and spacing', () => {
    expect(textSimilarity(post, post)).toBe(1);
    expect(textSimilarity(post, post.toUpperCase().replace(/[.]/g, '!').replace(/ /g, '  '))).toBe(1);
  });

  it('is high for a paraphrase with the same words', () => {
    const reordered = 'Three short lines and one clear question get more replies. Stop writing long cold emails!';
    expect(textSimilarity(post, reordered)).toBeGreaterThan(0.8);
    const edited = 'Stop writing long cold emails. Three short lines and a clear question get you more replies.';
    expect(textSimilarity(post, edited)).toBeGreaterThan(0.6);
  });

  it('is low for unrelated text', () => {
    const unrelated = 'My sourdough starter finally doubled overnight after I moved it near the oven.';
    expect(textSimilarity(post, unrelated)).toBeLessThan(0.2);
  });

  it('stays within 0..1 and is symmetric', () => {
    const other = 'Long cold emails rarely get replies.';
    const ab = textSimilarity(post, other);
    expect(ab).toBeGreaterThan(0);
    expect(ab).toBeLessThan(1);
    expect(textSimilarity(other, post)).toBe(ab);
    expect(textSimilarity('', post)).toBe(0);
  });
});

describe('findMostSimilar', () => {
  it('returns the closest candidate and its score', () => {
    const candidates = [
      { id: 'bread', text: 'Sourdough needs patience and a warm kitchen.' },
      { id: 'dup', text: 'Stop writing long cold emails! Three short lines and one clear question get more replies' },
      { id: 'near', text: 'Cold emails should be short and end with a question.' },
    ];
    const best = findMostSimilar(post, candidates);
    expect(best?.id).toBe('dup');
    expect(best?.score).toBe(1);
    expect(findMostSimilar(post, candidates.filter((c) => c.id !== 'dup'))?.id).toBe('near');
  });

  it('returns null when there are no candidates', () => {
    expect(findMostSimilar(post, [])).toBeNull();
  });
});
