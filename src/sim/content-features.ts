import type { HookPattern } from '../personas/index.ts';
import { detectHookForm, scorePost } from '../generation/index.ts';

/** What the simulated audience of an account cares about: the persona fields that judge topic fit. */
export interface SimProfile {
  niche: string;
  topics: string[];
  vocabulary: string[];
}

/** The content signals the engagement model reads; every value but `chars` is 0..1. */
export interface ContentFeatures {
  hookForm: HookPattern | null;
  chars: number;
  length: number;
  question: number;
  numbers: number;
  specificity: number;
  callToAction: number;
  topicFit: number;
  /** scorePost's overall score, for inspection; the model uses the separate features. */
  quality: number;
}

const STOP = new Set(
  'a an and are as at be but by for from has have how i in is it its of on or our so that the their this to was we what when why with you your'.split(
    ' ',
  ),
);

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
// Crude singular form, so "emails" meets "email".
const stem = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
const contentWords = (text: string) => [
  ...new Set(
    words(text)
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

/** The first line is the hook; a one-paragraph post's hook is its first sentence. */
export function splitHook(text: string): { hook: string; body: string } {
  const trimmed = text.trim();
  const newline = trimmed.indexOf('\n');
  if (newline >= 0) return { hook: trimmed.slice(0, newline).trim(), body: trimmed.slice(newline + 1).trim() };
  const sentenceEnd = trimmed.search(/[.!?…](\s|$)/);
  if (sentenceEnd >= 0 && sentenceEnd < trimmed.length - 1) {
    return { hook: trimmed.slice(0, sentenceEnd + 1).trim(), body: trimmed.slice(sentenceEnd + 1).trim() };
  }
  return { hook: trimmed, body: '' };
}

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

/**
 * Reuses the product's own quality heuristics (scorePost, detectHookForm), so the simulated audience
 * rewards what the generator is told to aim for. Without a profile the simulator cannot judge
 * specificity or topic fit: both take `neutral`.
 */
export function extractContentFeatures(
  text: string,
  profile: SimProfile | null,
  options: { topicTag?: string | null; neutral: number },
): ContentFeatures {
  const { hook, body } = splitHook(text);
  const fit = profile ? topicFitOf(text, profile) : null;
  const scored = scorePost({
    hook,
    body,
    text,
    persona: { niche: profile?.niche ?? '', topics: profile?.topics ?? [], vocabulary: profile?.vocabulary ?? [] },
    topic: fit?.topic ?? options.topicTag ?? '',
  });
  const f = scored.features;
  return {
    hookForm: detectHookForm(hook),
    chars: [...text].length,
    length: f.length.value,
    question: f.question.value,
    numbers: f.numbers.value,
    specificity: profile ? f.specificity.value : options.neutral,
    callToAction: f.call_to_action.value,
    topicFit: fit ? fit.fit : options.neutral,
    quality: scored.score,
  };
}
