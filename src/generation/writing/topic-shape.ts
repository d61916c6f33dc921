import { nlp } from './nlp.ts';

/**
 * What kind of phrase a topic is, so a writer can put it only where that kind of phrase fits:
 * "sourdough hydration" (a thing), "sharpening chisels" (an activity), "why my starter smells"
 * (an embedded question) or "how to build a budget" (a how-to).
 */
export type TopicKind = 'thing' | 'activity' | 'question' | 'how_to';

export interface TopicShape {
  /** The topic as given, trimmed, with its first letter lower-cased unless it is an acronym or name. */
  text: string;
  kind: TopicKind;
  /** Whether a "thing" topic takes a plural verb ("pricing page tests are"); activities are singular. */
  plural: boolean;
  /** The topic addressed to the reader: "why my starter smells" → "why your starter smells". */
  toReader: string;
  /** For an activity, the bare verb phrase ("sharpen chisels"); null otherwise. */
  infinitive: string | null;
  /** An -ing word and a noun could be either ("placing gear", "onboarding emails"): a checker gives it the benefit of the doubt. */
  ambiguous: boolean;
}

const FUNCTION_WORDS =
  /^(how|why|what|when|where|which|who|whether|if|the|a|an|my|your|our|on|in|for|with|to|from|about)$/i;
const WH_WORDS = /^(why|what|when|where|which|who|whether|if)\b/i;
const DETERMINER_AFTER = /^(a|an|the|my|your|our|their|his|her|its|this|that|these|those|one|two|three|\d)/i;

/** Lower-cases the first word unless it is an acronym, a name or contains capitals inside ("SwiftUI"). */
function tidy(topic: string): string {
  const text = topic
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.?!]+$/, '');
  const first = text.split(' ')[0] ?? '';
  // Only a sentence-style capital is dropped: names ("Steam", "SwiftUI", "EXPLAIN") keep theirs.
  const sentenceCapital = /^[A-Z][a-z]+$/.test(first) && (isGerund(first) || FUNCTION_WORDS.test(first));
  if (!sentenceCapital) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Swaps first-person words for second-person ones, for a topic turned towards the reader. */
export function towardsReader(text: string): string {
  const swaps: Record<string, string> = {
    i: 'you',
    me: 'you',
    my: 'your',
    mine: 'yours',
    "i'm": "you're",
    myself: 'yourself',
    am: 'are',
  };
  return text.replace(/\b(i'm|i|me|my|mine|myself|am)\b/gi, (word) => swaps[word.toLowerCase()] ?? word);
}

const ING_NOUNS = new Set([
  'morning',
  'evening',
  'spring',
  'string',
  'thing',
  'ceiling',
  'wedding',
  'pudding',
  'icing',
]);
const S_SINGULARS = /(ss|us|is|news|series|species|physics|economics|basics|analytics|athletics|mathematics)$/i;

function isGerund(word: string): boolean {
  return /^[a-z]{2,}ing$/i.test(word) && !ING_NOUNS.has(word.toLowerCase());
}

// Plural by form: compromise reads many bare plurals in a title ("tests", "smells") as verbs.
function isPluralNoun(word: string): boolean {
  return /[a-z]s$/i.test(word) && !S_SINGULARS.test(word) && !/'s$/.test(word);
}

/** An -ing word followed by its object ("sharpening chisels", "paying off debt") is an activity; "pricing page tests" is a thing. */
function activityHead(words: string[]): boolean {
  const [first, second] = words;
  if (!first || !isGerund(first)) return false;
  if (!second) return true;
  if (DETERMINER_AFTER.test(second) || /^[A-Z]/.test(second)) return true;
  const doc = nlp(second);
  if (doc.has('#Preposition') || doc.has('#Particle') || doc.has('#Adverb') || doc.has('#Adjective')) return true;
  return words.length === 2 || isPluralNoun(second);
}

// Parsing with compromise costs milliseconds; a worker sees the same few topics again and again.
const shapes = new Map<string, TopicShape>();
const MAX_CACHED = 1000;

export function analyseTopic(topic: string): TopicShape {
  const cached = shapes.get(topic);
  if (cached) return cached;
  const shape = shapeOf(topic);
  if (shapes.size >= MAX_CACHED) shapes.clear();
  shapes.set(topic, shape);
  return shape;
}

function shapeOf(topic: string): TopicShape {
  const text = tidy(topic);
  const words = text.split(' ');
  const toReader = towardsReader(text);
  if (/^how to\b/i.test(text))
    return { text, kind: 'how_to', plural: false, toReader, infinitive: null, ambiguous: false };
  if (WH_WORDS.test(text) || /^how\b/i.test(text))
    return { text, kind: 'question', plural: false, toReader, infinitive: null, ambiguous: false };
  if (activityHead(words)) {
    const base = (nlp(words[0] ?? '').tag('Gerund') as ReturnType<typeof nlp>).verbs().toInfinitive().all().text();
    const infinitive = base ? [base, ...words.slice(1)].join(' ') : null;
    const second = words[1] ?? '';
    const ambiguous = words.length === 2 && !DETERMINER_AFTER.test(second) && !/^[A-Z]/.test(second);
    return { text, kind: 'activity', plural: false, toReader, infinitive, ambiguous };
  }
  // A compound like "annual plans and cash flow" is plural; otherwise its last noun decides.
  const plural = / and /.test(text) || isPluralNoun(words.at(-1) ?? '');
  return { text, kind: 'thing', plural, toReader, infinitive: null, ambiguous: false };
}
