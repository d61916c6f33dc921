/** Sentence-level helpers shared by the offline composer and the writing checks. */

/** Splits a post into sentences and list lines. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** The comparable form of a sentence: list markers, emoji, punctuation and case do not make it new. */
export function sentenceKey(sentence: string): string {
  return sentence
    .toLowerCase()
    .replace(/^\s*\d+[.)]\s*/, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every sentence key of the given posts, for "already said" checks. */
export function sentenceKeys(texts: readonly string[]): Set<string> {
  return new Set(texts.flatMap((t) => splitSentences(t).map(sentenceKey)).filter((k) => k.split(' ').length >= 3));
}

export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Lower-cases a clause's first letter so it can follow "My rule now:", unless it starts with an acronym or name. */
export function lowerFirst(text: string): string {
  const first = text.split(' ')[0] ?? '';
  if (/[A-Z]/.test(first.slice(1)) || /^[A-Z]{2,}/.test(first)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Runs of this many words count as a repeated phrase. */
export const PHRASE_WORDS = 8;

/** Every run of PHRASE_WORDS words inside one sentence of the text. */
export function phraseShingles(text: string): Set<string> {
  const out = new Set<string>();
  for (const sentence of splitSentences(text)) {
    const ws = sentenceKey(sentence).split(' ').filter(Boolean);
    for (let i = 0; i + PHRASE_WORDS <= ws.length; i++) out.add(ws.slice(i, i + PHRASE_WORDS).join(' '));
  }
  return out;
}
