/**
 * Lexical (non-semantic) similarity for the duplicate check: the mean of word-set Jaccard,
 * which ignores word order, and character-trigram Jaccard, which tolerates small edits
 * such as plurals and typos.
 */

export interface SimilarityCandidate {
  id: string;
  text: string;
}

interface Fingerprint {
  words: Set<string>;
  trigrams: Set<string>;
}

export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function fingerprint(text: string): Fingerprint {
  const normalized = normalizeText(text);
  const words = new Set(normalized ? normalized.split(' ') : []);
  const trigrams = new Set<string>();
  const chars = [...` ${normalized} `];
  if (normalized) {
    for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  }
  return { words, trigrams };
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

function compare(a: Fingerprint, b: Fingerprint): number {
  return (jaccard(a.words, b.words) + jaccard(a.trigrams, b.trigrams)) / 2;
}

/** 1 for texts that normalise to the same words, 0 for texts with nothing in common. */
export function textSimilarity(a: string, b: string): number {
  return compare(fingerprint(a), fingerprint(b));
}

/** The candidate most similar to text (first one wins ties), or null when there are none. */
export function findMostSimilar(
  text: string,
  candidates: readonly SimilarityCandidate[],
): { id: string; score: number } | null {
  const target = fingerprint(text);
  let best: { id: string; score: number } | null = null;
  for (const candidate of candidates) {
    const score = compare(target, fingerprint(candidate.text));
    if (!best || score > best.score) best = { id: candidate.id, score };
  }
  return best;
}
