import type { PersonaFields } from '../../personas/index.ts';
import { findPhrase, removePhrases } from '../guardrails.ts';
import { createSeededRandom, deriveSeed, pick, randomInt, shuffle, type Random } from '../../platform/seeded-random.ts';
import { LENGTH_BAND_CHARS } from './content-arms.ts';
import type { ContentModel, ModelOutput, WriteBodyInput, WriteHookInput } from './content-model.ts';
import {
  BODY_SENTENCES,
  CTAS,
  FALLBACK_WORDS,
  HOOKS,
  LIST_CTAS,
  LIST_ITEMS,
  STYLE_KEYWORDS,
  STYLE_SENTENCES,
  type Style,
} from './offline-composer.templates.ts';

/**
 * A template-based ContentModel that needs no network or API key: deterministic for a given
 * seed and input, persona-aware, and always within the character budget it is given.
 */

export const OFFLINE_MODEL_ID = 'offline-composer-v1';

interface Context {
  rng: Random;
  persona: PersonaFields;
  topic: string;
  words: string[];
  /** How many more templates may repeat the topic verbatim; a body that names it in every line reads as spam. */
  topicMentions: number;
}

function styles(persona: PersonaFields): Style[] {
  const described = `${persona.tone} ${persona.voice}`;
  return (Object.keys(STYLE_KEYWORDS) as Style[]).filter((s) => STYLE_KEYWORDS[s].test(described));
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function usableWords(persona: PersonaFields): string[] {
  const clean = (list: readonly string[]) => list.filter((w) => !findPhrase(w, persona.banned_words));
  const vocabulary = clean(persona.vocabulary);
  if (vocabulary.length) return vocabulary;
  const fallback = clean(FALLBACK_WORDS);
  return fallback.length ? fallback : [persona.niche];
}

function fill(template: string, ctx: Context, numbers: Record<string, number> = {}): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (key === 'topic') return ctx.topic;
    if (key === 'niche') return ctx.persona.niche;
    if (key === 'word') return pick(ctx.rng, ctx.words);
    return String(numbers[key] ?? '');
  });
  return capitalizeFirst(filled);
}

const mentionsTopic = (template: string) => template.includes('{topic}');

/** Marks a chosen template's topic mention against the budget. */
function spend(template: string, ctx: Context): void {
  if (mentionsTopic(template)) ctx.topicMentions--;
}

/** Fills templates in a seeded order and keeps the first that contains none of the persona's banned words. */
function tryClean(templates: readonly string[], ctx: Context, numbers?: Record<string, number>): string | null {
  const withinBudget = templates.filter((t) => ctx.topicMentions > 0 || !mentionsTopic(t));
  for (const template of shuffle(ctx.rng, withinBudget.length ? withinBudget : templates)) {
    const text = fill(template, ctx, numbers);
    if (!findPhrase(text, ctx.persona.banned_words)) {
      spend(template, ctx);
      return text;
    }
  }
  return null;
}

/** Last resort when the topic or niche itself holds a banned word: drop the word rather than emit it. */
function scrubbed(templates: readonly string[], ctx: Context, numbers?: Record<string, number>): string {
  return capitalizeFirst(removePhrases(fill(pick(ctx.rng, templates), ctx, numbers), ctx.persona.banned_words));
}

function chooseClean(templates: readonly string[], ctx: Context): string {
  return tryClean(templates, ctx) ?? scrubbed(templates, ctx);
}

/** Picks up to count distinct clean sentences from the templates. */
function chooseManyClean(templates: readonly string[], count: number, ctx: Context): string[] {
  const chosen: string[] = [];
  for (const template of shuffle(ctx.rng, templates)) {
    if (chosen.length >= count) break;
    if (ctx.topicMentions <= 0 && mentionsTopic(template)) continue;
    const text = fill(template, ctx);
    if (!findPhrase(text, ctx.persona.banned_words) && !chosen.includes(text)) {
      spend(template, ctx);
      chosen.push(text);
    }
  }
  return chosen;
}

function chars(text: string): number {
  return [...text].length;
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

/** Joins parts, dropping middle sentences first so the opener and closing call to action survive. */
function fitParts(parts: string[], separator: string, maxChars: number, hasCta: boolean): string {
  const kept = [...parts];
  const fits = () => chars(kept.join(separator)) <= maxChars;
  while (!fits() && kept.length > 1) {
    const dropAt = hasCta && kept.length > 2 ? kept.length - 2 : kept.length - 1;
    kept.splice(dropAt, 1);
  }
  return truncateAtBoundary(kept.join(separator), maxChars);
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

function context(input: WriteHookInput, stream: 'hook' | 'body'): Context {
  // Feedback only exists on a regeneration, so folding it in moves to a different draft.
  const seed = deriveSeed(input.seed, stream, input.persona.slug, input.topic, input.hookPattern, input.feedback ?? '');
  return {
    rng: createSeededRandom(seed),
    persona: input.persona,
    topic: input.topic.trim(),
    words: usableWords(input.persona),
    topicMentions: stream === 'hook' ? Infinity : 1,
  };
}

export function composeHook(input: WriteHookInput): string {
  const ctx = context(input, 'hook');
  const { rng } = ctx;
  const numbers = {
    n: randomInt(rng, 3, 5),
    pct: randomInt(rng, 12, 88),
    days: pick(rng, [7, 14, 30, 60, 90]),
    x: randomInt(rng, 2, 5),
    k: randomInt(rng, 3, 10),
    hours: randomInt(rng, 2, 9),
    count: pick(rng, [50, 100, 200, 300]),
  };
  const wanted = HOOKS[input.hookPattern];
  // A persona may ban the very word a pattern is built on ("mistake"); a clean hook of another form beats a garbled one.
  return (
    tryClean(wanted, ctx, numbers) ??
    tryClean(HOOKS.bold_claim, ctx, numbers) ??
    tryClean(HOOKS.question, ctx, numbers) ??
    scrubbed(wanted, ctx, numbers)
  );
}

/** The closing line the arms ask for: a question, a call to action, or none; unset, the composer's own mix. */
function closingOf(input: WriteBodyInput, ctx: Context, pool: readonly string[], usual: boolean): string | null {
  const closing = input.arms?.closing;
  if (closing === undefined) return usual ? chooseClean(pool, ctx) : null;
  if (closing === 'none') return null;
  const wanted = pool.concat(CTAS).filter((c) => c.trim().endsWith('?') === (closing === 'question'));
  return chooseClean(wanted, ctx);
}

/** Sentences (or list items) per length band. */
const BAND_SENTENCES = { short: [1, 1], medium: [2, 3], long: [4, 6] } as const;

function listBody(input: WriteBodyInput, ctx: Context): { parts: string[]; separator: string; hasCta: boolean } {
  const wanted = Number(/^\s*(\d+)/.exec(input.hook)?.[1] ?? 3);
  const items = chooseManyClean(LIST_ITEMS, Math.min(Math.max(wanted, 2), 5), ctx).map(
    (item, i) => `${i + 1}. ${item}`,
  );
  const closing = closingOf(input, ctx, LIST_CTAS, items.length < 5 && ctx.rng() < 0.75);
  return { parts: closing ? [...items, closing] : items, separator: '\n', hasCta: closing !== null };
}

function proseBody(input: WriteBodyInput, ctx: Context): { parts: string[]; separator: string; hasCta: boolean } {
  const { rng, persona } = ctx;
  const concise =
    /\b(concise|short|punchy|terse|minimal)/i.test(`${persona.voice} ${persona.tone}`) ||
    /\blong/i.test(input.feedback ?? '');
  const band = input.arms ? BAND_SENTENCES[input.arms.length] : null;
  const count = band ? randomInt(rng, band[0], band[1]) : concise ? randomInt(rng, 2, 3) : randomInt(rng, 2, 4);

  const styled = styles(persona).flatMap((s) => STYLE_SENTENCES[s]);
  const sentences: string[] = [];
  // Tone shows mostly through one style sentence; the rest come from the shared pool.
  if (styled.length && rng() < 0.7) sentences.push(...chooseManyClean(styled, 1, ctx));
  for (const s of chooseManyClean(BODY_SENTENCES, count, ctx)) {
    if (sentences.length < count) sentences.push(s);
  }

  const closing = closingOf(input, ctx, CTAS, rng() < 0.75);
  const ordered = shuffle(rng, sentences);
  const parts = closing ? [...ordered, closing] : ordered;
  const separator = pick(rng, ['\n\n', '\n\n', '\n', ' ']);
  return { parts, separator, hasCta: closing !== null };
}

const EMOJI = ['🚀', '💡', '📈', '✅', '🔥', '👇'];

export function composeBody(input: WriteBodyInput): string {
  const ctx = context(input, 'body');
  const { parts, separator, hasCta } =
    input.hookPattern === 'number_list' && /^\s*\d/.test(input.hook) ? listBody(input, ctx) : proseBody(input, ctx);
  const arms = input.arms;
  if (!arms) return fitParts(parts, separator, input.maxChars, hasCta);
  // The band's ceiling counts the hook and the separator; the emoji takes three characters at the end.
  const ceiling = LENGTH_BAND_CHARS[arms.length].max - chars(input.hook) - 2 - (arms.emoji ? 3 : 0);
  const body = fitParts(parts, separator, Math.max(20, Math.min(input.maxChars, ceiling)), hasCta);
  return arms.emoji ? `${body} ${pick(ctx.rng, EMOJI)}` : body;
}

export function createOfflineComposer(): ContentModel {
  return {
    provider: 'offline',
    writeHook: async (input) => output(composeHook(input), input),
    writeBody: async (input) => output(composeBody(input), input),
    planCall: () => ({ model: OFFLINE_MODEL_ID, maxUsd: 0 }),
  };
}
