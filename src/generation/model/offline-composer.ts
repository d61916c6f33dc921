import { materialFor, type PersonaFields, type PersonaMaterial } from '../../personas/index.ts';
import { createSeededRandom, deriveSeed, pick, randomInt, shuffle, type Random } from '../../platform/seeded-random.ts';
import { findPhrase, removePhrases } from '../guardrails.ts';
import { detectHookForm } from '../quality-score.ts';
import {
  capitalize,
  lowerFirst,
  phraseShingles,
  sentenceKey,
  sentenceKeys,
  splitSentences,
} from '../writing/sentences.ts';
import { analyseTopic, type TopicShape } from '../writing/topic-shape.ts';
import { CLOSINGS, type Closing, type ContentArms, LENGTH_BAND_CHARS, type LengthBand } from './content-arms.ts';
import type { ContentModel, ModelOutput, WriteBodyInput, WriteHookInput } from './content-model.ts';
import {
  ADVICE_FRAMES,
  CTA_CLOSINGS,
  EMOJI,
  EXPERIENCE_FRAMES,
  HOOK_FRAMES,
  LIST_HEADINGS,
  LIST_QUESTION_CLOSINGS,
  SHORT_LIST_HEADINGS,
  type ListItemForm,
  MISTAKE_FRAMES,
  QUESTION_CLOSINGS,
  TERM_FRAMES,
  TOPIC_LINES,
} from './offline-composer.templates.ts';

/**
 * A ContentModel that needs no network or API key. It writes from the persona's niche material
 * into frames chosen for the topic's shape, honours the content arms (length band, closing,
 * emoji) and the hook pattern, avoids sentences the persona used in its recent posts, and is
 * deterministic for a given seed and input.
 */

export const OFFLINE_MODEL_ID = 'offline-composer-v2';

type Slot = 'advice' | 'exp' | 'mistake' | 'term';

interface Context {
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

function context(input: WriteHookInput, stream: 'hook' | 'body'): Context {
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
function fill(frame: string, ctx: Context, extra: Record<string, string> = {}, maxChars = Infinity): string | null {
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
function commit(text: string, ctx: Context): string {
  const lower = text.toLowerCase();
  for (const pool of Object.values(ctx.pools))
    for (const item of pool) if (lower.includes(item.toLowerCase())) ctx.spent.add(item);
  for (const sentence of splitSentences(text)) ctx.used.add(sentenceKey(sentence));
  if (text.toLowerCase().includes(ctx.shape.text.toLowerCase()) || text.includes(ctx.shape.toReader)) ctx.topicLeft--;
  return text;
}

/** The first frame, in seeded order, that fills cleanly. */
function first(
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

function chars(text: string): number {
  return [...text].length;
}

function bandOf(input: WriteHookInput): LengthBand {
  return input.arms?.length ?? 'medium';
}

function closingOf(input: WriteHookInput, rng: Random): Closing {
  return input.arms?.closing ?? pick(rng, [...CLOSINGS, 'question']);
}

function withEmoji(text: string, input: WriteHookInput, rng: Random): string {
  return input.arms?.emoji ? `${text} ${pick(rng, EMOJI)}` : text;
}

const HOOK_MAX: Record<LengthBand, number> = { short: 90, medium: 140, long: 170 };
const LIST_COUNT: Record<LengthBand, [number, number]> = { short: [2, 2], medium: [2, 3], long: [3, 5] };

export function composeHook(input: WriteHookInput): string {
  const ctx = context(input, 'hook');
  const band = bandOf(input);
  const n = String(randomInt(ctx.rng, ...LIST_COUNT[band]));
  const kind = ctx.shape.kind;
  if (input.hookPattern === 'number_list') {
    // A heading never promises more items than the persona has material for.
    const headings = band === 'short' ? SHORT_LIST_HEADINGS : LIST_HEADINGS;
    for (const heading of shuffle(
      ctx.rng,
      headings.filter((h) => h.kinds.includes(kind)),
    )) {
      const pool = ctx.pools[ITEM_SLOT[heading.form]];
      const average = pool.reduce((sum, item) => sum + chars(item) + 6, 0) / Math.max(1, pool.length);
      // Room for a heading, a closing line and the items: long material makes a shorter list.
      const fitting = Math.floor((LENGTH_BAND_CHARS[band].max - 120) / average);
      const count = Math.min(Number(n), freshItems(heading.form, ctx), fitting);
      if (count < 2) continue;
      const text = first([heading.text], ctx, { n: String(count) }, HOOK_MAX[band]);
      if (text) return withEmoji(text, input, ctx.rng);
    }
  }
  const pattern = input.hookPattern === 'number_list' ? 'bold_claim' : input.hookPattern;
  // Most hooks name the topic; a short post has no room to name it further down, so its hook always does.
  const topicFirst = band === 'short' || ctx.rng() < 0.7;
  const names = (f: string) => /\{(topic|reader|Topic|verb)\}/.test(f);
  const frames = (p: keyof typeof HOOK_FRAMES) =>
    HOOK_FRAMES[p].filter((f) => f.kinds.includes(kind)).map((f) => f.text);
  const preferred = topicFirst ? frames(pattern).filter(names) : frames(pattern);
  const count = { n: String(randomInt(ctx.rng, 2, 8)) };
  // A hook leaves room for a body within the length band, and reads as the form it was asked for
  // (a figure inside a story would make it a statistic hook to the learning loop).
  const max = HOOK_MAX[band];
  const isForm = (text: string) => detectHookForm(text) === pattern;
  const hook =
    first(preferred, ctx, count, max, true, isForm) ??
    first(frames(pattern), ctx, count, max, true, isForm) ??
    first(frames(pattern), ctx, count, undefined, true, isForm) ??
    first(frames(pattern), ctx, count) ??
    first(frames('story'), ctx, count, max) ??
    capitalize(removePhrases(`${ctx.shape.text}: notes from ${ctx.persona.niche}`, ctx.persona.banned_words));
  return withEmoji(hook, input, ctx.rng);
}

const LIST_FORMS: Record<string, ListItemForm> = {
  habits: 'advice',
  mistakes: 'mistake',
  questions: 'question',
  things: 'lesson',
  checks: 'term',
};

const ITEM_SLOT: Record<ListItemForm, Slot> = {
  advice: 'advice',
  mistake: 'mistake',
  question: 'advice',
  lesson: 'exp',
  term: 'term',
};

const ITEM_FRAME: Record<ListItemForm, string> = {
  advice: '{Advice}.',
  mistake: '{Mistake}.',
  question: 'Do you {advice}?',
  lesson: 'I {exp}.',
  term: '{T1}.',
};

/** How many items of a form this persona can list without repeating a recent sentence. */
function freshItems(form: ListItemForm, ctx: Context): number {
  const frame = ITEM_FRAME[form];
  return ctx.pools[ITEM_SLOT[form]].filter((item) => {
    if (ctx.fresh.has(item)) return false;
    const text = frame.replace(/\{(\w+)\}/, (_, key: string) =>
      key === key.toLowerCase() ? lowerFirst(item) : capitalize(item),
    );
    return !ctx.used.has(sentenceKey(text));
  }).length;
}

/** Exactly count items, so the heading's promise holds; an item said before beats a missing one. */
function listItems(form: ListItemForm, count: number, ctx: Context, room: number): string[] {
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    // Each item gets its share of what is left, so the last ones still fit the band.
    const left = room - chars(items.join('\n')) - 1;
    const share = Math.max(20, Math.floor(left / (count - i)) - 4);
    let item = first([ITEM_FRAME[form]], ctx, undefined, share) ?? first([ITEM_FRAME[form]], ctx);
    if (!item) {
      ctx.used.clear();
      item = first([ITEM_FRAME[form]], ctx);
    }
    if (!item) break;
    items.push(`${i + 1}. ${item}`);
  }
  return items;
}

/** The closing the arm asks for; once every variant was used recently, one is repeated rather than dropped. */
function closingLine(closing: Closing, ctx: Context, isList: boolean, maxChars: number): string | null {
  if (closing === 'none') return null;
  const frames =
    closing === 'question'
      ? isList
        ? LIST_QUESTION_CLOSINGS
        : QUESTION_CLOSINGS[ctx.shape.kind]
      : CTA_CLOSINGS[ctx.shape.kind];
  const line = first(frames, ctx, undefined, maxChars);
  if (line) return line;
  ctx.used.clear();
  return first(frames, ctx, undefined, maxChars) ?? first(frames, ctx);
}

/** Prose sentences in a seeded, varied order: what happened, what to do, what to avoid, what to watch. */
function proseSentences(ctx: Context): (() => string | null)[] {
  // A body sentence that would echo the latest post is left out rather than written.
  const strictly = (frames: readonly string[]) => () => first(frames, ctx, undefined, undefined, false);
  const experience = strictly(EXPERIENCE_FRAMES);
  const advice = strictly(ADVICE_FRAMES);
  const mistake = strictly(MISTAKE_FRAMES);
  const terms = strictly(TERM_FRAMES);
  // A post names its topic somewhere: in the hook, or else in the first body line.
  const named = ctx.topicLeft < 2;
  const opener = !named || ctx.rng() < 0.4 ? [() => first(TOPIC_LINES[ctx.shape.kind], ctx)] : [];
  return [
    ...opener,
    ...shuffle(ctx.rng, [experience, advice, mistake]),
    ...shuffle(ctx.rng, [terms, experience, advice, mistake, advice]),
  ];
}

export function composeBody(input: WriteBodyInput): string {
  const ctx = context(input, 'body');
  // What the hook already said is not said again below it.
  commit(input.hook, ctx);
  const band = LENGTH_BAND_CHARS[bandOf(input)];
  const hookChars = chars(input.hook) + 2;
  const max = Math.min(input.maxChars, band.max - hookChars);
  const min = band.min - hookChars;
  const listForm = LIST_FORMS[/^\s*\d+\s+(\w+)/.exec(input.hook)?.[1] ?? ''];
  const count = Number(/^\s*(\d+)/.exec(input.hook)?.[1] ?? 0);
  const emojiRoom = input.arms?.emoji ? 3 : 0;
  const closing = closingLine(closingOf(input, ctx.rng), ctx, Boolean(listForm), max - 2 - emojiRoom);
  const tail = closing ? withEmoji(closing, input, ctx.rng) : null;
  const room = max - (tail ? chars(tail) + 2 : 0);

  if (listForm && count > 0) {
    const items = listItems(listForm, count, ctx, room);
    return truncateAtBoundary([items.join('\n'), tail].filter(Boolean).join('\n\n'), input.maxChars);
  }

  const kept: string[] = [];
  const length = () => chars(kept.join(' '));
  for (const next of proseSentences(ctx)) {
    if (length() >= min - (tail ? chars(tail) + 2 : 0) && kept.length > 0) break;
    const sentence = next();
    if (!sentence) continue;
    if (chars([...kept, sentence].join(' ')) > room) continue;
    kept.push(sentence);
  }
  const paragraphs = kept.length > 3 ? [kept.slice(0, 2).join(' '), kept.slice(2).join(' ')] : [kept.join(' ')];
  return truncateAtBoundary([...paragraphs, tail].filter((p) => p).join('\n\n'), input.maxChars);
}

/**
 * Cuts text to at most maxChars code points, preferring the last sentence or line end,
 * then the last word boundary (with an ellipsis), and only then a hard cut.
 */
export function truncateAtBoundary(text: string, maxChars: number): string {
  const points = [...text];
  if (points.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  const head = points.slice(0, maxChars);
  for (let i = head.length - 1; i > 0; i--) {
    const ch = head[i] as string;
    const next = points[i + 1];
    if (ch === '\n' || (/[.!?…]/.test(ch) && (next === undefined || /\s/.test(next)))) {
      const cut = head
        .slice(0, ch === '\n' ? i : i + 1)
        .join('')
        .trimEnd();
      if (cut) return cut;
    }
  }
  const room = points.slice(0, maxChars - 1).join('');
  const space = room.search(/\s\S*$/);
  const base = space > 0 ? room.slice(0, space) : room;
  return `${base.trimEnd().replace(/[,;:–—-]+$/, '')}…`;
}

function estimateTokens(text: string): number {
  return Math.ceil(chars(text) / 4);
}

function output(text: string, prompt: unknown): ModelOutput {
  return {
    text,
    usage: { promptTokens: estimateTokens(JSON.stringify(prompt)), completionTokens: estimateTokens(text) },
    model: OFFLINE_MODEL_ID,
    provider: 'offline',
    costUsd: 0,
    cacheHit: false,
    priced: true,
  };
}

export type { ContentArms };

export function createOfflineComposer(): ContentModel {
  return {
    provider: 'offline',
    writeHook: async (input) => output(composeHook(input), input),
    writeBody: async (input) => output(composeBody(input), input),
    planCall: () => ({ model: OFFLINE_MODEL_ID, maxUsd: 0 }),
  };
}
