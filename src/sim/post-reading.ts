/**
 * How the simulated audience reads a post: its own rules, written for the simulator alone. It never
 * calls the product's scoring or hook detection, so a product tuned against the simulator is tuned
 * against an outside judge, not against itself.
 */

/** What the simulated audience of an account cares about: the persona fields that judge topic fit. */
export interface SimProfile {
  niche: string;
  topics: string[];
  vocabulary: string[];
}

/** The shapes the audience tells a post's opening apart by. */
export const OPENING_FORMS = [
  'question',
  'list',
  'contrarian',
  'story',
  'how_to',
  'mistake',
  'figure',
  'claim',
  'plain',
] as const;
export type OpeningForm = (typeof OPENING_FORMS)[number];

export interface PostReading {
  opening: OpeningForm;
  /** Code points, as Threads counts them. */
  chars: number;
  /** The last line (or sentence) asks something; a one-sentence post has no separate closing. */
  closingQuestion: boolean;
  /** The last line (or sentence) asks the reader to act: comment, follow, save, reply… */
  callToAction: boolean;
  emoji: number;
  /** Content words, lower case, crudely singular. */
  words: Set<string>;
  /** 0..1 match with the account's topics and vocabulary; 0.5 without a profile. */
  topicFit: number;
  /** The profile topic the post is closest to, if any. */
  topic: string | null;
}

const STOP = new Set(
  'a an and are as at be but by for from has have how i in is it its of on or our so that the their this to was we what when why with you your'.split(
    ' ',
  ),
);

const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
// Crude singular form, so "emails" meets "email".
const stem = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
export const contentWords = (text: string): string[] => [
  ...new Set(
    tokens(text)
      .filter((w) => w.length >= 3 && !STOP.has(w))
      .map(stem),
  ),
];

function containsPhrase(lowerText: string, phrase: string): boolean {
  const escaped = phrase
    .toLowerCase()
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
  return escaped.length > 0 && new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(lowerText);
}

const lines = (text: string) =>
  text
    .trim()
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
const sentences = (text: string) =>
  text
    .trim()
    .match(/[^.!?…]+[.!?…]*/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [];

/** The first line; a one-paragraph post opens with its first sentence. */
export function openingOf(text: string): string {
  const ls = lines(text);
  if (ls.length > 1) return ls[0] ?? '';
  return sentences(text)[0] ?? text.trim();
}

/** The last line, or the last sentence of a one-paragraph post; empty when the post is one sentence. */
export function closingOf(text: string): string {
  const ls = lines(text);
  if (ls.length > 1) return ls.at(-1) ?? '';
  const ss = sentences(text);
  return ss.length > 1 ? (ss.at(-1) ?? '') : '';
}

const EMOJI = /\p{Extended_Pictographic}/gu;
const endsWithQuestion = (s: string) => /\?\s*$/.test(s.replace(EMOJI, '').trim());

const HOW_TO =
  /^(how to|here'?s how|here is how|the (quick|simple|easy|fastest|only) way to|(a |my )?step[- ]by[- ]step|(a |my )?(quick |short )?guide to|steps to|do this to)\b/;
const HOW_WE_DID = /^how (i|we)\b/;
const CONTRARIAN =
  /(unpopular opinion|hot take|controversial|overrated|underrated|nobody (tells|talks)|no one (tells|talks)|everyone (says|thinks|tells)|^stop \w+ing\b|is dead\b|is a myth|\bmyth\b|you don'?t need|the truth about|wrong about|forget (what|about))/;
const MISTAKE =
  /(mistake|regret|wish i('d| had)? known|learned the hard way|don'?t make|\bavoid|biggest fail|\bfailed\b|screwed up|cost (me|us))/;
const LIST_HEAD =
  /^(the )?(top )?\d{1,2}\s+([\p{L}-]+\s+){0,3}?(things|ways|tips|tools|lessons|reasons|steps|rules|ideas|mistakes|habits|questions|signs|emails|books|tactics|truths|myths|experiments|changes|metrics|apps|prompts)\b/u;
const ENUMERATED = /^\s*(\d{1,2}[.)]|[-•*→])\s+/gm;
const FIGURE =
  /\d+(\.\d+)?\s?%|[$€£]\s?\d|\b\d+(\.\d+)?x\b|\b\d{1,3}(,\d{3})+\b|\b\d+k\b|\b\d{3,}\b|\b\d+ (in|out of) \d+\b|\b\d+(\.\d+)? (minutes?|hours?|days?|weeks?) (a|per) (day|week|month|year)\b/;
const TIME_MARKER =
  /^(last (week|month|year|night|quarter|spring|summer|fall|autumn|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|this (morning|week)|(\w+ )?(years|months|weeks) ago|in (19|20)\d\d|back in|when (i|we)|once)\b/;
const FIRST_PERSON_PAST =
  /^(i|we|my \w+|our \w+)\s+(\w+\s+)?(was|were|had|did|got|made|lost|quit|left|spent|built|sold|tried|\w*(wrote|ran|went|began|took|met|found|saw|told|thought|bought|paid|broke|grew|gave|knew|fell|kept|sent|felt|woke|came|became|drove|flew|chose|spoke|won)|\w+ed)\b/;
const ASSERTIVE =
  /\b(is|are|will|can|starts?|always|never|wins?|beats?|matters?|works?|don'?t|doesn'?t|can'?t|should|must|only|best|worst)\b/;

/** The audience's own reading of an opening; it looks at the first line and, for lists, the lines after it. */
export function classifyOpening(text: string): OpeningForm {
  const opening = openingOf(text).toLowerCase();
  const enumerated = (text.match(ENUMERATED) ?? []).length;
  if (HOW_TO.test(opening) || (HOW_WE_DID.test(opening) && !endsWithQuestion(opening))) return 'how_to';
  if (endsWithQuestion(opening)) return 'question';
  if (CONTRARIAN.test(opening)) return 'contrarian';
  if (LIST_HEAD.test(opening) || (enumerated >= 2 && /:\s*$/.test(opening))) return 'list';
  if (MISTAKE.test(opening)) return 'mistake';
  if (FIGURE.test(opening)) return 'figure';
  if (TIME_MARKER.test(opening) || FIRST_PERSON_PAST.test(opening)) return 'story';
  if (opening.split(/\s+/).length >= 4 && ASSERTIVE.test(opening)) return 'claim';
  return 'plain';
}

const CALL_TO_ACTION =
  /\b(comment|reply|follow( me)?|share (this|it)|save (this|it)|bookmark|dm me|link in (my )?bio|subscribe|sign up|join|let me know|tell me|drop (a|your)|repost|tag (a|someone))\b/;

/** How well a post matches the account's topics and vocabulary, and which topic it is closest to. */
export function topicFitOf(text: string, profile: SimProfile): { fit: number; topic: string | null } {
  const lower = text.toLowerCase();
  const present = new Set(contentWords(text));
  let best = { score: 0, topic: null as string | null };
  for (const topic of profile.topics) {
    const ws = contentWords(topic);
    const score = ws.length ? ws.filter((w) => present.has(w)).length / ws.length : 0;
    if (score > best.score) best = { score, topic };
  }
  const vocabulary = profile.vocabulary.filter((v) => containsPhrase(lower, v)).length;
  const fit = Math.min(1, 0.6 * best.score + 0.4 * Math.min(1, vocabulary / 2));
  return { fit, topic: best.topic };
}

export function readPost(text: string, profile: SimProfile | null): PostReading {
  const closing = closingOf(text).toLowerCase();
  const fit = profile ? topicFitOf(text, profile) : { fit: 0.5, topic: null };
  return {
    opening: classifyOpening(text),
    chars: [...text].length,
    closingQuestion: closing !== '' && endsWithQuestion(closing),
    callToAction: closing !== '' && CALL_TO_ACTION.test(closing),
    emoji: (text.match(EMOJI) ?? []).length,
    words: new Set(contentWords(text)),
    topicFit: fit.fit,
    topic: fit.topic,
  };
}
