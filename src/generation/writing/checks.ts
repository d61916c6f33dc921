import { loadMaterialLibrary, materialFor, type PersonaFields } from '../../personas/index.ts';
import { grammarProblems } from './grammar.ts';
import { foreignScripts, quotableLanguages } from './language.ts';
import { phraseShingles, sentenceKey, sentenceKeys, splitSentences } from './sentences.ts';
import { analyseTopic } from './topic-shape.ts';

/**
 * The checks a careful editor makes before a post goes out. Each reports passed and a note; a
 * failed check rejects the draft (the workflow writes another), except an unsourced statistic,
 * which sends the draft to a human instead of auto-approving it.
 */

export const WRITING_CHECKS = [
  'grammar',
  'topic_fit',
  'promise',
  'repetition',
  'readability',
  'language',
  'generic',
  'unsourced_statistic',
] as const;
export type WritingCheck = (typeof WRITING_CHECKS)[number];

export interface CheckResult {
  passed: boolean;
  note: string;
}

export type Verdict = 'accept' | 'review' | 'reject';

export interface WritingInput {
  hook: string;
  body: string;
  text: string;
  topic: string;
  persona: Pick<PersonaFields, 'slug' | 'niche' | 'vocabulary' | 'topics'>;
  /** The persona's recent post texts, newest first. */
  recentTexts?: readonly string[];
}

export interface WritingReview {
  checks: Record<WritingCheck, CheckResult>;
  verdict: Verdict;
  failed: WritingCheck[];
}

/** Posts whose exact sentences may not come back, and the few whose long phrases may not. */
export const SENTENCE_WINDOW = 50;
export const PHRASE_WINDOW = 1;

const STOP = new Set(
  (
    'a an and are as at be but by for from has have how i in is it its of on or our so that the their this to was we ' +
    'what when why with you your my me not no do does did if than then them they there these those one just more most ' +
    'some any all about into over out up can will would should could been being very really also much'
  ).split(' '),
);

/** Words any niche uses: they make no sentence specific. */
const COMMON = new Set(
  (
    'small steps step time times every everything thing things better best first week weeks month months year years ' +
    'start started change changed people work make made good great process simple trust consistency matters ' +
    'little long short today always never really right wrong again before after still something focus'
  ).split(' '),
);

const pass = (note: string): CheckResult => ({ passed: true, note });
const fail = (note: string): CheckResult => ({ passed: false, note });

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
const stem = (w: string) => w.slice(0, 5);

function checkGrammar(text: string): CheckResult {
  const problems = grammarProblems(text);
  return problems.length
    ? fail(problems.slice(0, 3).join('; '))
    : pass('no article, agreement or question-mark problems');
}

const FITS_BEFORE_QUESTION = new Set([
  'about',
  'on',
  'wondering',
  'wondered',
  'wonder',
  'asked',
  'ask',
  'out',
  'learned',
  'know',
  'explain',
  'explained',
  'understand',
  'is',
  'see',
  'decide',
  'showed',
  'me',
  'yourself',
]);
const DETERMINER = /^(my|your|our|their|the|a|an|this|that|his|her|effective|better|good|great)$/i;
const SINGULAR_VERB = /^(is|was|has|does|gets|makes|needs|matters|works|takes|comes|goes|looks|feels|seems|starts)$/i;
const PLURAL_VERB = /^(are|were|have|do|get|make|need|matter|work|take|come|go|look|feel|seem|start)$/i;

/** The topic pasted where a phrase of its kind does not fit, echoed inside its own sentence, or pasted everywhere. */
function checkTopicFit(text: string, topic: string): CheckResult {
  const shape = analyseTopic(topic);
  const needle = shape.text.toLowerCase();
  if (needle.length < 3) return pass('topic too short to judge');
  const lower = text.toLowerCase();
  const problems: string[] = [];
  let count = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    count++;
    const before = lower.slice(0, at).match(/([\p{L}']+)[^\p{L}]*$/u)?.[1] ?? '';
    const after = lower.slice(at + needle.length).match(/^\s+([\p{L}']+)/u)?.[1] ?? '';
    const sentenceStart = /(^|[.!?:\n]\s*)$/.test(text.slice(0, at));
    if ((shape.kind === 'question' || shape.kind === 'how_to') && !sentenceStart && !FITS_BEFORE_QUESTION.has(before)) {
      problems.push(`"${before} ${shape.text}" puts a question where a noun belongs`);
    }
    if (shape.kind !== 'thing' && !shape.ambiguous && DETERMINER.test(before))
      problems.push(`"${before} ${shape.text}" needs a noun, not an activity`);
    if (shape.kind === 'thing' && /^(a|an)$/.test(before) && shape.plural) problems.push(`"${before} ${shape.text}"`);
    const plural = shape.kind === 'thing' && shape.plural;
    // Agreement only binds the topic when it is the subject, not the object of "with" or "about".
    const subject = sentenceStart || /^(the|effective|better|good|most|great)$/.test(before);
    // An ambiguous topic ("onboarding emails": an activity or a plural thing) agrees with either verb.
    const disagrees =
      !shape.ambiguous &&
      ((plural && SINGULAR_VERB.test(after)) ||
        (!plural && PLURAL_VERB.test(after) && !/^(do|get|make|work)$/.test(after)));
    if (subject && disagrees) {
      problems.push(`"${shape.text} ${after}": the verb does not agree with the topic`);
    }
    // "Sharpening is where sharpening chisels…": a word of the topic just before the pasted topic.
    const sentenceHead =
      lower
        .slice(Math.max(0, at - 40), at)
        .split(/[.!?:\n]/)
        .at(-1) ?? '';
    const nearBefore = words(sentenceHead).slice(-3);
    const echoed = words(needle).filter((w) => w.length >= 5 && nearBefore.some((o) => stem(o) === stem(w)));
    if (echoed.length) problems.push(`"${echoed[0]}" is repeated around the pasted topic`);
  }
  if (count > 2) problems.push(`the topic is pasted ${count} times`);
  return problems.length ? fail(problems.slice(0, 3).join('; ')) : pass(`topic used ${count} time(s) where it fits`);
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-•*–])\s+/;

/** A list heading's count and kind of item, and a question hook's promise, are kept by the body. */
function checkPromise(hook: string, body: string): CheckResult {
  const heading =
    /^\s*(\d+)\s+(?:[\p{L}-]+\s+){0,2}?(questions|mistakes|lessons|habits|tips|ways|signs|rules|things|steps|ideas|truths|changes|reasons|checks)\b/iu.exec(
      hook,
    );
  if (!heading) return pass('no list promised');
  const promised = Number(heading[1]);
  const lines = body.split('\n').filter((l) => LIST_ITEM.test(l));
  const items = lines.length ? lines : splitSentences(body).slice(0, promised);
  if (items.length !== promised)
    return fail(`the hook promises ${promised} ${heading[2]}, the body gives ${items.length}`);
  if (
    heading[2]?.toLowerCase() === 'questions' &&
    !items.every((i) => /\?\s*\p{Extended_Pictographic}*$/u.test(i.trim()))
  ) {
    return fail(`the hook promises ${promised} questions, but not every item is a question`);
  }
  return pass(`${promised} ${heading[2]} promised and given`);
}

function checkRepetition(text: string, recent: readonly string[]): CheckResult {
  const own = splitSentences(text)
    .map(sentenceKey)
    .filter((k) => k.split(' ').length >= 3);
  const twice = own.find((k, i) => own.indexOf(k) !== i);
  if (twice) return fail(`"${twice}" is said twice in the post`);
  const earlier = sentenceKeys(recent.slice(0, SENTENCE_WINDOW));
  const again = own.find((k) => earlier.has(k));
  if (again) return fail(`"${again}" was already posted in the last ${SENTENCE_WINDOW} posts`);
  const phrases = new Set(recent.slice(0, PHRASE_WINDOW).flatMap((t) => [...phraseShingles(t)]));
  const shared = [...phraseShingles(text)].find((s) => phrases.has(s));
  if (shared) return fail(`"${shared}" repeats a phrase from the last ${PHRASE_WINDOW} posts`);
  return pass(`no sentence from the last ${Math.min(recent.length, SENTENCE_WINDOW)} posts repeated`);
}

/** Rough syllable count: vowel groups, minus a silent trailing "e". */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const groups = w
    .replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '')
    .replace(/^y/, '')
    .match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** Flesch reading ease of a text (60+ is plain English). */
export function readingEase(text: string): { ease: number; wordsPerSentence: number; syllablesPerWord: number } {
  const ws = words(text);
  const ss = splitSentences(text);
  const wordsPerSentence = ws.length / Math.max(1, ss.length);
  const syllablesPerWord = ws.reduce((n, w) => n + syllables(w), 0) / Math.max(1, ws.length);
  return { ease: 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord, wordsPerSentence, syllablesPerWord };
}

function checkReadability(text: string): CheckResult {
  const { ease } = readingEase(text);
  const longest = Math.max(0, ...splitSentences(text).map((s) => words(s).length));
  if (ease < 25) return fail(`Flesch reading ease ${ease.toFixed(0)} is below 25`);
  if (longest > 32) return fail(`a sentence of ${longest} words; split it`);
  return pass(`Flesch reading ease ${ease.toFixed(0)}, longest sentence ${longest} words`);
}

function checkLanguage(text: string, niche: string): CheckResult {
  const quotable = quotableLanguages(niche);
  const foreign = foreignScripts(text).filter((l) => !quotable.includes(l));
  return foreign.length ? fail(`mixes in another script (${foreign.join(', ')})`) : pass('one language');
}

const specificCache = new Map<string, Set<string>>();

/** Word stems this persona's posts are about: its niche, vocabulary, topics and material. */
function specificStems(persona: WritingInput['persona']): Set<string> {
  const key = `${persona.slug}|${persona.niche}|${persona.vocabulary.join(',')}`;
  const cached = specificCache.get(key);
  if (cached) return cached;
  const m = materialFor(persona);
  const source = [persona.niche, ...persona.vocabulary, ...persona.topics, ...m.advice, ...m.experience, ...m.mistakes];
  const stems = new Set(
    words(source.join(' '))
      .filter((w) => w.length >= 4 && !STOP.has(w) && !COMMON.has(w))
      .map(stem),
  );
  specificCache.set(key, stems);
  return stems;
}

/** Stock lines ("The fastest feedback loop wins.") say nothing about this persona's niche or topic. */
function checkGeneric(text: string, topic: string, persona: WritingInput['persona']): CheckResult {
  // A persona without library material has too few niche words to tell a stock line from an unfamiliar specific one.
  if (!loadMaterialLibrary()[persona.slug]) return pass('no niche material to judge against');
  const topicStems = words(topic).filter((w) => w.length >= 4 && !STOP.has(w) && !COMMON.has(w));
  const stems = new Set([...specificStems(persona), ...topicStems.map(stem)]);
  const sentences = splitSentences(text).filter((s) => words(s).length >= 3);
  const generic = sentences.filter(
    (s) =>
      !/\d/.test(s) &&
      !/\s[A-Z][a-z]*[A-Z]|\s[A-Z]{2,}/.test(s) &&
      !words(s).some((w) => !COMMON.has(w) && !STOP.has(w) && stems.has(stem(w))),
  );
  if (sentences.length > 0 && generic.length / sentences.length > 0.5) {
    return fail(`${generic.length} of ${sentences.length} sentences could be in any niche, e.g. "${generic[0]}"`);
  }
  return pass(`${sentences.length - generic.length} of ${sentences.length} sentences are about this niche`);
}

const STAT_SHAPE =
  /(\d+(?:[.,]\d+)?\s?(?:%|percent\b)|\b\d+\s+(?:in|out of)\s+(?:every\s+)?\d+\b|\b\d+(?:\.\d+)?x\s+(?:more|less|faster|slower|better|higher|lower)\b|\b(?:studies|research|data|science|experts?) (?:show|shows|say|says|prove|proves)\b)/i;
const SOURCED =
  /(according to|\bsource\b|\bsurvey (?:by|from|of)\b|\bstudy (?:by|from|in)\b|\breport (?:by|from)\b|https?:\/\/|\bdata from\b|\(\w[^)]*\d{4}\))/i;
const OWN = /\b(I|I'm|I've|my|me|we|our|us)\b/;

/** A statistic stated as fact needs a source; the persona's own numbers and the user's own figures are fine. */
function checkStatistics(text: string, topic: string, persona: WritingInput['persona']): CheckResult {
  const known = `${topic} ${persona.vocabulary.join(' ')}`.toLowerCase();
  for (const sentence of splitSentences(text)) {
    const m = STAT_SHAPE.exec(sentence);
    if (!m) continue;
    if (SOURCED.test(sentence) || OWN.test(sentence)) continue;
    const figure = m[0].match(/\d+(?:[.,]\d+)?/)?.[0];
    if (figure && known.includes(figure)) continue;
    return fail(`"${sentence.slice(0, 60)}" states a statistic without a source; a person should check it`);
  }
  return pass('no unsourced statistic');
}

export function reviewWriting(input: WritingInput): WritingReview {
  const { hook, body, text, topic, persona } = input;
  const checks: Record<WritingCheck, CheckResult> = {
    grammar: checkGrammar(text),
    topic_fit: checkTopicFit(text, topic),
    promise: checkPromise(hook, body),
    repetition: checkRepetition(text, input.recentTexts ?? []),
    readability: checkReadability(text),
    language: checkLanguage(text, persona.niche),
    generic: checkGeneric(text, topic, persona),
    unsourced_statistic: checkStatistics(text, topic, persona),
  };
  const failed = WRITING_CHECKS.filter((c) => !checks[c].passed);
  const verdict: Verdict = failed.some((c) => c !== 'unsourced_statistic')
    ? 'reject'
    : failed.length
      ? 'review'
      : 'accept';
  return { checks, verdict, failed };
}
