import { detectLanguages } from './nlp.ts';

/**
 * The language a topic or post is in, as far as a writer of English needs to know: letters of
 * another script, or a Latin-script phrase in another language. Personas write English; a persona
 * that teaches a language may quote that language's words.
 */

const SCRIPTS: Record<string, RegExp> = {
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
  ko: /\p{Script=Hangul}/u,
  zh: /\p{Script=Han}/u,
  ru: /\p{Script=Cyrillic}/u,
  ar: /\p{Script=Arabic}/u,
  he: /\p{Script=Hebrew}/u,
  el: /\p{Script=Greek}/u,
  hi: /\p{Script=Devanagari}/u,
  th: /\p{Script=Thai}/u,
};

const NICHE_LANGUAGES: Record<string, RegExp> = {
  ja: /japanese/i,
  ko: /korean/i,
  zh: /chinese|mandarin|cantonese/i,
  ru: /russian/i,
  ar: /arabic/i,
  he: /hebrew/i,
  el: /greek/i,
  hi: /hindi/i,
  th: /thai/i,
  es: /spanish/i,
  fr: /french/i,
  de: /german/i,
  it: /italian/i,
  pt: /portuguese/i,
};

/** Small English words whose presence makes a short Latin-script phrase English whatever a detector guesses. */
const ENGLISH_WORDS =
  /\b(the|a|an|and|or|of|to|in|on|for|with|without|from|by|about|my|your|our|how|why|what|when|is|are|do|does|vs|versus|first|before|after|that|this|not|no)\b/i;

/** Letters outside the Latin script, with the language they point to, e.g. ["ja"]. */
export function foreignScripts(text: string): string[] {
  const letters = text.replace(/[^\p{L}]/gu, '').replace(/\p{Script=Latin}/gu, '');
  if (!letters) return [];
  const found = Object.entries(SCRIPTS)
    .filter(([, pattern]) => pattern.test(letters))
    .map(([lang]) => lang);
  // Kana marks Japanese; Han alone may be Chinese or Japanese.
  return found.includes('ja') ? found.filter((l) => l !== 'zh') : found.length ? found : ['other'];
}

/** Languages a persona may quote because its niche teaches them. */
export function quotableLanguages(niche: string): string[] {
  return Object.entries(NICHE_LANGUAGES)
    .filter(([, pattern]) => pattern.test(niche))
    .map(([lang]) => lang);
}

/** A Latin-script phrase in another language ("cómo aprender inglés"), or null when it reads as English. */
function latinLanguage(text: string): string | null {
  const words = text.match(/\p{L}+/gu) ?? [];
  if (words.length < 2 || ENGLISH_WORDS.test(text)) return null;
  const guesses = detectLanguages(text).slice(0, 3);
  const top = guesses[0];
  if (!top || top.lang === 'en' || guesses.some((g) => g.lang === 'en')) return null;
  // Diacritics or a confident guess: short English phrases get low-confidence guesses.
  return /[à-öø-ÿ]/i.test(text) || top.accuracy >= 0.5 ? top.lang : null;
}

export type TopicLanguage = { ok: true } | { ok: false; language: string; message: string };

/** Whether a persona writing English can take this topic. */
export function checkTopicLanguage(topic: string, niche: string): TopicLanguage {
  const quotable = quotableLanguages(niche);
  const scripts = foreignScripts(topic);
  const english = ENGLISH_WORDS.test(topic) || /[a-z]{3,}/i.test(topic.replace(/[^\p{Script=Latin}\s]/gu, ' '));
  const unquotable = scripts.find((lang) => !quotable.includes(lang));
  if (unquotable || (scripts.length && !english)) {
    const language = unquotable ?? scripts[0] ?? 'other';
    return {
      ok: false,
      language,
      message:
        `the topic is written in another language (${language}) and this persona writes English posts; ` +
        'give the topic in English (a persona that teaches a language may quote its words inside an English topic)',
    };
  }
  const latin = latinLanguage(topic);
  if (latin && !quotable.includes(latin)) {
    return {
      ok: false,
      language: latin,
      message: `the topic reads as ${latin}, and this persona writes English posts; give the topic in English`,
    };
  }
  return { ok: true };
}
