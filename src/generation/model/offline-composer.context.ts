import { materialFor, type PersonaFields, type PersonaMaterial } from '../../personas/index.ts';
import { createSeededRandom, deriveSeed, shuffle, type Random } from '../../platform/seeded-random.ts';
import { findPhrase } from '../guardrails.ts';
import {
  capitalize,
  lowerFirst,
  phraseShingles,
  sentenceKey,
  sentenceKeys,
  splitSentences,
} from '../writing/sentences.ts';
import { analyseTopic, type TopicShape } from '../writing/topic-shape.ts';
import type { WriteHookInput } from './content-model.ts';

/**
 * The offline composer's working state for one hook or body, and how it fills a frame: with
 * material this post has not used, that the persona's recent posts did not say, that holds no
 * banned word and fits the room left.
 */
export type Slot = 'advice' | 'exp' | 'mistake' | 'term';

export interface Context {
  rng: Random;
  persona: PersonaFields;
  shape: TopicShape;
  /** Each slot's material, least used in the persona's recent posts first. */
  pools: Record<Slot, string[]>;
  /** Sentences of recent posts and of this post so far: none is written twice. */
  used: Set<string>;
  /** Material items already in this post. */
  spent: Set<string>;
  /** Material items in the persona's latest post: used again only when nothing else fits. */
  fresh: Set<string>;
  strict: boolean;
  /** Phrases of the latest post: the next one does not echo them. */
  lastPhrases: Set<string>;
  /** How many more times the topic may be named: a post that names it in every line reads as spam. */
  topicLeft: number;
}

function usage(item: string, recent: readonly string[]): number {
  const needle = item.toLowerCase();
  return recent.filter((text) => text.toLowerCase().includes(needle)).length;
}

function leastUsedFirst(rng: Random, items: readonly string[], recent: readonly string[]): string[] {
  return shuffle(rng, items)
    .map((item, order) => ({ item, order, uses: usage(item, recent) }))
    .sort((a, b) => a.uses - b.uses || a.order - b.order)
    .map((e) => e.item);
}

export function context(input: WriteHookInput, stream: 'hook' | 'body'): Context {
  // Feedback only exists on a regeneration, so folding it in moves to a different draft.
  const seed = deriveSeed(input.seed, stream, input.persona.slug, input.topic, input.hookPattern, input.feedback ?? '');
  const rng = createSeededRandom(seed);
  const recent = input.recentTexts ?? [];
  const material: PersonaMaterial = materialFor(input.persona);
  const clean = (items: readonly string[]) => items.filter((i) => !findPhrase(i, input.persona.banned_words));
  const terms = clean(input.persona.vocabulary).length ? clean(input.persona.vocabulary) : [input.persona.niche];
  return {
    rng,
    persona: input.persona,
    shape: analyseTopic(input.topic),
    pools: {
      advice: leastUsedFirst(rng, clean(material.advice), recent),
      exp: leastUsedFirst(rng, clean(material.experience), recent),
      mistake: leastUsedFirst(rng, clean(material.mistakes), recent),
      term: shuffle(rng, terms),
    },
    used: sentenceKeys(recent),
    spent: new Set(),
    fresh: new Set(
      [...material.advice, ...material.experience, ...material.mistakes].filter(
        (i) => usage(i, recent.slice(0, 1)) > 0,
      ),
    ),
    strict: true,
    lastPhrases: phraseShingles(recent[0] ?? ''),
    topicLeft: 2,
  };
}

const SLOT_OF: Record<string, Slot> = { advice: 'advice', exp: 'exp', mistake: 'mistake', t1: 'term', t2: 'term' };

/** How many slot combinations one frame may try before it gives way to the next frame. */
const MAX_TRIES = 40;

function fixedValue(key: string, ctx: Context, extra: Record<string, string>): string | null | undefined {
  if (key in extra) return extra[key] ?? null;
  if (key === 'topic') return ctx.shape.text;
  if (key === 'reader') return ctx.shape.toReader;
  if (key === 'verb') return ctx.shape.infinitive;
  if (key === 'niche') return ctx.persona.niche;
  return SLOT_OF[key] ? undefined : null;
}

/**
 * Fills a frame with unspent material, trying further items when a combination was already said,
 * holds a banned word or is longer than maxChars; null when nothing fits.
 */
export function fill(
  frame: string,
  ctx: Context,
  extra: Record<string, string> = {},
  maxChars = Infinity,
): string | null {
  if (/\{(topic|reader|Topic)\}/.test(frame) && ctx.topicLeft <= 0) return null;
  const keys = [...frame.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const values: Record<string, string> = {};
  for (const key of keys) {
    const fixed = fixedValue(key.toLowerCase(), ctx, extra);
    if (fixed === null) return null;
    if (fixed !== undefined) values[key.toLowerCase()] = fixed;
  }
  const open = [...new Set(keys.map((k) => k.toLowerCase()).filter((k) => !(k in values)))];
  let tries = 0;
  const render = () =>
    frame.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = values[key.toLowerCase()] ?? '';
      return key === key.toLowerCase() ? value : capitalize(value);
    });
  const search = (i: number): string | null => {
    if (i === open.length) {
      tries++;
      const text = render();
      const echoes = ctx.strict && [...phraseShingles(text)].some((p) => ctx.lastPhrases.has(p));
      const fine =
        !echoes && chars(text) <= maxChars && !findPhrase(text, ctx.persona.banned_words) && !saidBefore(text, ctx);
      return fine ? text : null;
    }
    const key = open[i] as string;
    const slot = SLOT_OF[key] as Slot;
    const chosen = Object.values(values);
    for (const item of ctx.pools[slot]) {
      if (tries >= MAX_TRIES) return null;
      if (ctx.spent.has(item) || chosen.includes(slot === 'term' ? item : lowerFirst(item))) continue;
      if (ctx.strict && ctx.fresh.has(item)) continue;
      // Two terms joined by "and" read badly when one already holds an "and".
      if (slot === 'term' && / and /.test(item) && / and /.test(frame)) continue;
      values[key] = slot === 'term' ? item : lowerFirst(item);
      const text = search(i + 1);
      if (text) return text;
    }
    delete values[key];
    return null;
  };
  return search(0);
}

/** Whether any sentence of a candidate (a hook may hold two) was already said. */
function saidBefore(text: string, ctx: Context): boolean {
  return splitSentences(text).some((s) => ctx.used.has(sentenceKey(s)));
}

/** Marks the material in an accepted sentence as spent for this post. */
export function commit(text: string, ctx: Context): string {
  const lower = text.toLowerCase();
  for (const pool of Object.values(ctx.pools))
    for (const item of pool) if (lower.includes(item.toLowerCase())) ctx.spent.add(item);
  for (const sentence of splitSentences(text)) ctx.used.add(sentenceKey(sentence));
  if (text.toLowerCase().includes(ctx.shape.text.toLowerCase()) || text.includes(ctx.shape.toReader)) ctx.topicLeft--;
  return text;
}

/** The first frame, in seeded order, that fills cleanly. */
export function first(
  frames: readonly string[],
  ctx: Context,
  extra?: Record<string, string>,
  maxChars?: number,
  lenient = true,
  accept: (text: string) => boolean = () => true,
): string | null {
  const order = shuffle(ctx.rng, frames);
  for (const strict of lenient ? [true, false] : [true]) {
    ctx.strict = strict;
    for (const frame of order) {
      const text = fill(frame, ctx, extra, maxChars);
      if (text && accept(text)) return commit(text, ctx);
    }
  }
  return null;
}

export function chars(text: string): number {
  return [...text].length;
}
