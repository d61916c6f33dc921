import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import type { PersonaFields } from '../personas/index.ts';
import { countChars, MAX_POST_CHARS } from '../posts/index.ts';

export { countChars, MAX_POST_CHARS };
export const MAX_LINKS = 5;

export type GuardrailReason = 'too_long' | 'too_many_links' | 'banned_word' | 'banned_topic' | 'profanity';

export type GuardrailResult = { ok: true } | { ok: false; reason: GuardrailReason; detail: string };

export interface GuardrailInput {
  text: string;
  topic: string;
  persona: Pick<PersonaFields, 'banned_words' | 'banned_topics'> & Partial<Pick<PersonaFields, 'niche' | 'vocabulary'>>;
}

/** Ordinary words that contain a listed one: names, food, tools, Latin. */
const ALLOWED_EVERYWHERE = [
  'shiitake',
  'cum laude',
  'magna cum laude',
  'summa cum laude',
  'pussy willow',
  'cockpit',
  'spotted dick',
  'dickey',
  'dickie',
  'bastard file',
  'bastard cut',
  'homo sapiens',
];

/** Trade terms a niche uses every day that a word list reads as slurs or swearing. */
const ALLOWED_BY_NICHE: readonly [RegExp, readonly string[]][] = [
  [
    /bread|baking|sourdough|pastry|pizza/i,
    [
      'cold retard',
      'bulk retard',
      'long retard',
      'overnight retard',
      'fridge retard',
      'retard the dough',
      'retard the loaf',
      'retard overnight',
      'retarding',
      'retarded dough',
      'retarder',
    ],
  ],
  [/wood|carpentr|diy|repair|plumb|trades|metal/i, ['bastard', 'cock', 'cocking', 'dyke', 'nut', 'screw']],
  [/fire|flame|pyro|chem|pharma|medic|nurs/i, ['retardant', 'flame retardant', 'retarded growth']],
  [/garden|plant|farm|homestead|bird/i, ['tit', 'tits', 'blue tit', 'great tit', 'woodcock', 'cock', 'bitch', 'hoe']],
  [/dog|pet|breed/i, ['bitch', 'bitches']],
];

// Building a matcher compiles every pattern in the dataset: one per distinct allow list, kept for the process.
const matchers = new Map<string, RegExpMatcher>();

function profanityMatcher(allowed: readonly string[]): RegExpMatcher {
  const key = allowed.join('|');
  let matcher = matchers.get(key);
  if (!matcher) {
    const dataset = englishDataset.build();
    matcher = new RegExpMatcher({
      ...dataset,
      ...englishRecommendedTransformers,
      // Added to the dataset's own allow list ("assessment", "Scunthorpe"), not in place of it.
      whitelistedTerms: [...(dataset.whitelistedTerms ?? []), ...ALLOWED_EVERYWHERE, ...allowed],
    });
    matchers.set(key, matcher);
  }
  return matcher;
}

/** Words this persona may use although a word list flags them: its niche's trade terms and its own vocabulary. */
export function allowedTerms(persona: GuardrailInput['persona']): string[] {
  const niche = persona.niche ?? '';
  const byNiche = ALLOWED_BY_NICHE.filter(([pattern]) => pattern.test(niche)).flatMap(([, terms]) => terms);
  return [...new Set([...byNiche, ...(persona.vocabulary ?? [])])].sort();
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;

// A short TLD allow-list keeps file names such as "Node.js" or "README.md" and
// missing-space typos such as "done.It" from being counted as links.
const TLDS = [
  'com',
  'net',
  'org',
  'io',
  'co',
  'ai',
  'dev',
  'app',
  'me',
  'ly',
  'gg',
  'tv',
  'fm',
  'xyz',
  'info',
  'biz',
  'edu',
  'gov',
  'news',
  'blog',
  'shop',
  'store',
  'site',
  'online',
  'tech',
  'link',
  'page',
  'uk',
  'ca',
  'au',
  'fr',
  'es',
  'nl',
  'eu',
  'ch',
  'se',
  'dk',
  'fi',
  'pl',
  'ie',
  'nz',
  'jp',
  'br',
  'mx',
  'za',
  'kr',
];
const BARE_DOMAIN_PATTERN = new RegExp(
  `(?<![@\\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${TLDS.join('|')})(?![\\w-])(?:/[^\\s]*)?`,
  'gi',
);

/** Links as Threads sees them: full http(s) URLs plus bare domains like example.com/path. */
export function findLinks(text: string): string[] {
  const urls = text.match(URL_PATTERN) ?? [];
  const rest = text.replace(URL_PATTERN, ' ');
  const domains = rest.match(BARE_DOMAIN_PATTERN) ?? [];
  return [...urls, ...domains];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Personas' phrase lists are few and stable: each pattern is compiled once, not on every check.
const MAX_CACHED_PATTERNS = 5000;
const patterns = new Map<string, { test: RegExp; all: RegExp }>();

function phrasePatterns(phrase: string): { test: RegExp; all: RegExp } {
  const cached = patterns.get(phrase);
  if (cached) return cached;
  const body = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  // Letter/digit look-arounds instead of \b so phrases that start or end with punctuation still match.
  const source = `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`;
  const compiled = { test: new RegExp(source, 'iu'), all: new RegExp(source, 'giu') };
  if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
  patterns.set(phrase, compiled);
  return compiled;
}

// Case-insensitive Unicode matching lets these two stand for ASCII letters: "ſ" for "s", the Kelvin sign for "k".
const FOLDS_TO_ASCII = /[\u017f\u212a]/;
const NON_ASCII = /[^\x20-\x7e\s]/;

/**
 * Whether the phrase cannot occur in a text, known without its pattern: an ASCII phrase's first word
 * must appear in the lower-cased text. Most phrases never occur, and a new persona's would otherwise
 * each compile a pattern on its first check.
 */
function surelyAbsent(lowerText: string, foldsToAscii: boolean, phrase: string): boolean {
  if (foldsToAscii || NON_ASCII.test(phrase)) return false;
  const firstWord = phrase.trim().split(/\s+/)[0]!.toLowerCase();
  return !lowerText.includes(firstWord);
}

/** First phrase that occurs in text as a whole word/phrase, case-insensitively; null when none does. */
export function findPhrase(text: string, phrases: readonly string[]): string | null {
  const lowerText = text.toLowerCase();
  const foldsToAscii = FOLDS_TO_ASCII.test(text);
  for (const phrase of phrases) {
    if (!phrase.trim() || surelyAbsent(lowerText, foldsToAscii, phrase)) continue;
    if (phrasePatterns(phrase).test.test(text)) return phrase;
  }
  return null;
}

/** Removes every occurrence of the phrases and tidies the spacing left behind. */
export function removePhrases(text: string, phrases: readonly string[]): string {
  let result = text;
  for (const phrase of phrases) {
    if (!phrase.trim()) continue;
    result = result.replace(phrasePatterns(phrase).all, '');
  }
  return result
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([.,!?:;])/g, '$1')
    .replace(/^ +| +$/gm, '');
}

/** The profane word found in text (as listed in the dataset), or null. */
export function findProfanity(text: string, allowed: readonly string[] = []): string | null {
  const [match] = profanityMatcher(allowed).getAllMatches(text, true);
  if (!match) return null;
  const listed = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
  return listed ?? text.slice(match.startIndex, match.endIndex + 1);
}

export function checkGuardrails({ text, topic, persona }: GuardrailInput): GuardrailResult {
  const length = countChars(text);
  if (length > MAX_POST_CHARS) {
    return { ok: false, reason: 'too_long', detail: `${length} characters (limit ${MAX_POST_CHARS})` };
  }

  const links = findLinks(text);
  if (links.length > MAX_LINKS) {
    const detail = `${links.length} links (limit ${MAX_LINKS}): ${links.join(', ')}`;
    return { ok: false, reason: 'too_many_links', detail };
  }

  const bannedWord = findPhrase(text, persona.banned_words);
  if (bannedWord) return { ok: false, reason: 'banned_word', detail: `banned word "${bannedWord}"` };

  const topicInText = findPhrase(text, persona.banned_topics);
  if (topicInText) return { ok: false, reason: 'banned_topic', detail: `banned topic "${topicInText}" in text` };
  const topicInTopic = findPhrase(topic, persona.banned_topics);
  if (topicInTopic) {
    return { ok: false, reason: 'banned_topic', detail: `banned topic "${topicInTopic}" in topic "${topic}"` };
  }

  const profanity = findProfanity(text, allowedTerms(persona));
  if (profanity) return { ok: false, reason: 'profanity', detail: `profanity "${profanity}"` };

  return { ok: true };
}
