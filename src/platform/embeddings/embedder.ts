/** Turns texts into vectors whose cosine similarity says how close their meanings are. */
export interface Embedder {
  /** Recorded with every stored vector: vectors of different models are never compared. */
  readonly model: string;
  embed(texts: string[]): Promise<number[][]>;
  /**
   * Similarities at which a draft repeats a post of the same persona, or of any persona. They
   * depend on the model: word-vector averages sit lower than a trained sentence embedder's.
   */
  readonly duplicateThresholds: { persona: number; global: number };
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
