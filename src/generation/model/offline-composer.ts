import { pick, randomInt, shuffle, type Random } from '../../platform/seeded-random.ts';
import { removePhrases } from '../guardrails.ts';
import { detectHookForm } from '../quality-score.ts';
import { capitalize, lowerFirst, sentenceKey } from '../writing/sentences.ts';
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
import { type Context, chars, commit, context, first, type Slot } from './offline-composer.context.ts';

/**
 * A ContentModel that needs no network or API key. It writes from the persona's niche material
 * into frames chosen for the topic's shape, honours the content arms (length band, closing,
 * emoji) and the hook pattern, avoids sentences the persona used in its recent posts, and is
 * deterministic for a given seed and input.
 */

export const OFFLINE_MODEL_ID = 'offline-composer-v2';

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
