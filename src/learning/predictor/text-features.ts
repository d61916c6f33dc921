import { detectHookForm, LENGTH_BAND_CHARS } from '../../generation/index.ts';
import { HOOK_PATTERNS } from '../../personas/index.ts';
import { hashString } from '../../platform/seeded-random.ts';

/** Hashed buckets for the post's words: which words resonate is learned per persona. */
export const WORD_BUCKETS = 32;
const HOOK_FORMS = [...HOOK_PATTERNS, 'none'] as const;
const HOUR_BLOCKS = 8;
const CTA = /\b(comment|reply|follow|share|save|tell me|let me know|drop|bookmark|repost|dm me)\b/i;
const EMOJI = /\p{Extended_Pictographic}/u;
const STOP = new Set(
  'a an and are as at be but by for from has have how i in is it its of on or our so that the their this to was we what when why with you your'.split(
    ' ',
  ),
);

/** Names of the global features, in vector order (the persona copies repeat them). */
export const FEATURE_NAMES = [
  'log_chars',
  'short',
  'medium',
  'long',
  'closing_question',
  'call_to_action',
  'emoji',
  'numbers',
  ...HOOK_FORMS.map((f) => `hook_${f}`),
  ...Array.from({ length: HOUR_BLOCKS }, (_, i) => `hour_${i * 3}`),
  ...Array.from({ length: WORD_BUCKETS }, (_, i) => `words_${i}`),
];

/**
 * What the predictor reads of a post: its own reading of the text (the product's, never the
 * simulator's) and the UTC hour it goes out.
 */
export function textFeatures(text: string, publishedAt: Date): number[] {
  const trimmed = text.trim();
  const chars = [...trimmed].length;
  const hook = trimmed.split('\n')[0] ?? '';
  const lastLine =
    trimmed
      .split('\n')
      .filter((l) => l.trim())
      .at(-1) ?? '';
  const form = detectHookForm(hook) ?? 'none';
  const band = chars < LENGTH_BAND_CHARS.short.max ? 0 : chars < LENGTH_BAND_CHARS.medium.max ? 1 : 2;
  const hourBlock = Math.floor(publishedAt.getUTCHours() / 3);
  const words = new Array<number>(WORD_BUCKETS).fill(0);
  const seen = new Set<string>();
  for (const w of trimmed.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (w.length < 3 || STOP.has(w) || seen.has(w)) continue;
    seen.add(w);
    words[hashString(w) % WORD_BUCKETS]! += 1;
  }
  return [
    Math.log(Math.max(1, chars)) - 5,
    band === 0 ? 1 : 0,
    band === 1 ? 1 : 0,
    band === 2 ? 1 : 0,
    /\?\s*$/.test(lastLine) ? 1 : 0,
    CTA.test(lastLine) ? 1 : 0,
    EMOJI.test(trimmed) ? 1 : 0,
    /\d/.test(trimmed) ? 1 : 0,
    ...HOOK_FORMS.map((f) => (f === form ? 1 : 0)),
    ...Array.from({ length: HOUR_BLOCKS }, (_, i) => (i === hourBlock ? 1 : 0)),
    ...words.map((n) => Math.min(1, n)),
  ];
}
