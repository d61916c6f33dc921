import type { HookPattern, PersonaFields } from '../personas/index.ts';
import { readingEase, reviewWriting, WRITING_CHECKS, type WritingReview } from './writing/checks.ts';

/**
 * An explainable heuristic score for a Threads post. Every feature is 0..1 with a fixed
 * weight; the score is the sum of weight × value, so each contribution can be shown as-is.
 */

export const QUALITY_FEATURES = [
  'hook_length',
  'hook_form',
  'question',
  'numbers',
  'specificity',
  'readability',
  'call_to_action',
  'length',
  'writing',
] as const;

export type QualityFeature = (typeof QUALITY_FEATURES)[number];

export const QUALITY_WEIGHTS: Readonly<Record<QualityFeature, number>> = {
  hook_length: 0.1,
  hook_form: 0.1,
  question: 0.1,
  // Light: rewarding figures rewards inventing them.
  numbers: 0.05,
  specificity: 0.15,
  readability: 0.1,
  call_to_action: 0.1,
  length: 0.15,
  // The editor's checks (grammar, topic fit, promise, repetition, …): the share of them passed.
  writing: 0.15,
};

export interface FeatureScore {
  value: number;
  weight: number;
  contribution: number;
  note: string;
}

export interface QualityScore {
  score: number;
  features: Record<QualityFeature, FeatureScore>;
  /** Each writing check's result and the verdict: a failed check rejects the draft whatever its score. */
  writing: WritingReview;
}

export interface ScorePostInput {
  hook: string;
  body: string;
  /** The full post; defaults to hook and body separated by a blank line. */
  text?: string;
  persona: Pick<PersonaFields, 'niche' | 'vocabulary' | 'topics'> & { slug?: string };
  topic: string;
  /** The persona's recent post texts, newest first, for the repetition check. */
  recentTexts?: readonly string[];
}

const THREADS_LIMIT = 500;

const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have how i in is it its of on or our so that the their this to was we ' +
    'what when why with you your'
  ).split(' '),
);

const VAGUE_WORDS = [
  'thing',
  'things',
  'stuff',
  'very',
  'really',
  'basically',
  'literally',
  'somehow',
  'whatever',
  'kinda',
  'sorta',
  'something',
  'good',
  'nice',
  'great',
  'a lot',
  'lots of',
  'kind of',
  'sort of',
];

const VAGUE_PATTERNS = VAGUE_WORDS.map((w) => new RegExp(`\\b${w}\\b`, 'g'));

const INVITATION = new RegExp(
  '\\b(comment|reply|replies|tell me|let me know|share|save this|bookmark|follow|drop|dm me|tag|repost|' +
    'agree|disagree|thoughts|your take|try this)\\b',
  'i',
);

// Standalone figures like 30, 1,000, 4.5, 40% or 3x, but not the digit inside a name such as "B2B".
const FIGURE = /(?<![\p{L}\d])\d+(?:[.,]\d+)*(?:%|x\b|(?![\p{L}\d]))/u;

const PAST_TENSE = new RegExp(
  '\\b(\\w+ed|was|were|had|did|spent|made|took|thought|lost|built|rebuilt|wrote|learned|quit|began|got|sent|' +
    'left|felt|found|went|came|saw|knew|told|kept|ran|said|used to|years? ago|last (?:year|month|week))\\b',
  'i',
);
const CONTRARIAN =
  /^(unpopular opinion|hot take|controversial|stop\b|don['’]t\b|forget\b|everyone .*\b(wrong|disagree)|.*\boverrated\b)/i;

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const chars = (text: string) => [...text].length;

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const isWordChar = (codePoint: number | undefined) =>
  codePoint !== undefined && WORD_CHAR.test(String.fromCodePoint(codePoint));

/** The code point that ends just before index `at` (a surrogate pair read whole), if any. */
function codePointBefore(text: string, at: number): number | undefined {
  if (at <= 0) return undefined;
  const pair = at >= 2 ? text.codePointAt(at - 2) : undefined;
  return pair !== undefined && pair > 0xffff ? pair : text.codePointAt(at - 1);
}

/**
 * Whether a lower-cased text holds the phrase as whole words, any run of whitespace matching any run.
 * A scan with indexOf instead of a pattern built per phrase: every post brings its persona's terms,
 * and compiling a pattern for each cost more than the rest of the score.
 */
function containsPhrase(haystack: string, phrase: string): boolean {
  const needle = phrase.toLowerCase().trim().replace(/\s+/g, ' ');
  if (needle.length === 0) return false;
  const text = haystack.replace(/\s+/g, ' ');
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (!isWordChar(codePointBefore(text, at)) && !isWordChar(text.codePointAt(at + needle.length))) return true;
  }
  return false;
}

/** Which hook form a first line follows, or null when none is recognisable. */
export function detectHookForm(hook: string): HookPattern | null {
  const h = hook.trim();
  if (/^how to\b/i.test(h)) return 'how_to';
  if (CONTRARIAN.test(h)) return 'contrarian';
  if (/^\d+\s+(?!in\s+\d)\p{L}/u.test(h)) return 'number_list';
  if (/\bmistakes?\b/i.test(h)) return 'mistake';
  // Any figure that is not a leading list count makes the hook a concrete, statistic-style claim.
  if (FIGURE.test(h)) return 'statistic';
  if (/\?\s*$/.test(h)) return 'question';
  if (/\b(I|[Mm]y|me)\b/.test(h) && PAST_TENSE.test(h)) {
    return 'story';
  }
  if (/[.!]$/.test(h) && words(h).length <= 14) return 'bold_claim';
  return null;
}

function scoreHookLength(hook: string): [number, string] {
  const n = chars(hook.trim());
  if (n === 0) return [0, 'no hook'];
  if (n < 40) return [n / 40, `${n} chars, shorter than the 40–110 sweet spot`];
  if (n <= 110) return [1, `${n} chars, within 40–110`];
  return [clamp01(1 - (n - 110) / 140), `${n} chars, longer than 110`];
}

function scoreHookForm(hook: string): [number, string] {
  const form = detectHookForm(hook);
  if (!form) return [0.2, 'no recognisable hook form'];
  // A short declarative line is the weakest recognisable form: it is also what a flat opener looks like.
  if (form === 'bold_claim') return [0.6, 'short declarative claim'];
  return [1, `recognised ${form} hook`];
}

function scoreQuestion(hook: string, body: string, text: string): [number, string] {
  if (body.includes('?')) return [1, 'asks the reader a question'];
  if (hook.includes('?') || text.includes('?')) return [0.7, 'question only in the hook'];
  if (/\byou(r|'re|’re)?\b/i.test(text)) return [0.3, 'addresses the reader but asks nothing'];
  return [0, 'no question, does not address the reader'];
}

function scoreNumbers(text: string): [number, string] {
  // List markers ("1.") are layout, not concrete figures.
  const withoutMarkers = text.replace(/^\s*\d+[.)]\s/gm, '');
  const figures = withoutMarkers.match(new RegExp(FIGURE.source, 'gu')) ?? [];
  if (figures.length === 0) return [0, 'no concrete figures'];
  return [figures.length === 1 ? 0.7 : 1, `${figures.length} figure(s): ${figures.slice(0, 4).join(', ')}`];
}

function scoreSpecificity(text: string, topic: string, persona: ScorePostInput['persona']): [number, string] {
  const lower = text.toLowerCase();
  const allWords = words(text);
  const topicWords = [...new Set(words(topic).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))];
  const topicHits = topicWords.filter((w) => containsPhrase(lower, w));
  const topicCoverage = topicWords.length ? topicHits.length / topicWords.length : 0;

  const domainTerms = [
    ...persona.vocabulary,
    ...persona.topics,
    ...words(persona.niche).filter((w) => w.length >= 4 && !STOP_WORDS.has(w)),
  ];
  const domainHits = [...new Set(domainTerms.map((t) => t.toLowerCase()))].filter((t) => containsPhrase(lower, t));
  const domain = Math.min(1, domainHits.length / 2);

  const vague = VAGUE_PATTERNS.reduce((n, pattern) => n + (lower.match(pattern)?.length ?? 0), 0);
  const vagueRatio = allWords.length ? vague / allWords.length : 0;
  const penalty = Math.min(1, vagueRatio * 5);

  const value = clamp01((0.5 * topicCoverage + 0.5 * domain) * (1 - penalty));
  const note =
    `topic words ${topicHits.length}/${topicWords.length}, domain terms ${domainHits.length}` +
    (domainHits.length ? ` (${domainHits.slice(0, 3).join(', ')})` : '') +
    `, vague words ${vague}`;
  return [value, note];
}

function scoreReadability(text: string): [number, string] {
  if (words(text).length === 0 || sentences(text).length === 0) return [0, 'no readable text'];
  const { ease, wordsPerSentence, syllablesPerWord } = readingEase(text);
  // Flesch reading ease: 60+ is plain English; short social posts should sit there.
  const note = `Flesch ease ${ease.toFixed(0)} (${wordsPerSentence.toFixed(1)} words/sentence, ${syllablesPerWord.toFixed(2)} syllables/word)`;
  return [clamp01((ease - 10) / 50), note];
}

function scoreWriting(review: WritingReview): [number, string] {
  const passed = WRITING_CHECKS.length - review.failed.length;
  const note = review.failed.length ? `failed: ${review.failed.join(', ')}` : 'every writing check passed';
  return [passed / WRITING_CHECKS.length, note];
}

function scoreCallToAction(text: string): [number, string] {
  const last = sentences(text).at(-1) ?? '';
  if (/\?\s*$/.test(last)) return [1, 'ends with a question'];
  if (INVITATION.test(last)) return [0.8, 'ends with an invitation'];
  return [0, 'no closing question or invitation'];
}

function scoreLength(text: string): [number, string] {
  const n = chars(text);
  if (n > THREADS_LIMIT) return [0, `${n} chars, over the ${THREADS_LIMIT}-char Threads limit`];
  if (n < 150) return [n / 150, `${n} chars, short of 150`];
  if (n <= 400) return [1, `${n} chars, within 150–400`];
  return [1 - (0.3 * (n - 400)) / 100, `${n} chars, close to the limit`];
}

export function scorePost({ hook, body, text, persona, topic, recentTexts }: ScorePostInput): QualityScore {
  const full = text ?? [hook, body].filter(Boolean).join('\n\n');
  const writing = reviewWriting({ hook, body, text: full, topic, persona: { slug: '', ...persona }, recentTexts });
  const raw: Record<QualityFeature, [number, string]> = {
    hook_length: scoreHookLength(hook),
    hook_form: scoreHookForm(hook),
    question: scoreQuestion(hook, body, full),
    numbers: scoreNumbers(full),
    specificity: scoreSpecificity(full, topic, persona),
    readability: scoreReadability(full),
    call_to_action: scoreCallToAction(full),
    length: scoreLength(full),
    writing: scoreWriting(writing),
  };

  let score = 0;
  const features = {} as Record<QualityFeature, FeatureScore>;
  for (const name of QUALITY_FEATURES) {
    const [value, note] = raw[name];
    const weight = QUALITY_WEIGHTS[name];
    const contribution = weight * clamp01(value);
    features[name] = { value: clamp01(value), weight, contribution, note };
    score += contribution;
  }
  return { score: clamp01(score), features, writing };
}
