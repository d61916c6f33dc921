import type { HookPattern } from '../content/hook-patterns.ts';
import type { PersonaFields } from '../personas/persona.schema.ts';
import { findPhrase, removePhrases } from '../content/guardrails.ts';
import { createSeededRandom, deriveSeed, pick, randomInt, shuffle, type Random } from '../content/seeded-random.ts';
import type { ContentModel, ModelOutput, WriteBodyInput, WriteHookInput } from './content-model.ts';

/**
 * A template-based ContentModel that needs no network or API key: deterministic for a given
 * seed and input, persona-aware, and always within the character budget it is given.
 */

export const OFFLINE_MODEL_ID = 'offline-composer-v1';

type Style = 'playful' | 'direct' | 'warm' | 'analytical';

const HOOKS: Record<HookPattern, readonly string[]> = {
  question: [
    'What would change if you treated {topic} as a {word} problem?',
    'Why does {topic} feel so hard for most people in {niche}?',
    'Is {topic} actually worth the effort?',
    "What's the one {word} habit that changed how you handle {topic}?",
    'Be honest: how much time do you spend on {topic} each week?',
    'What if most of what you learned about {topic} was backwards?',
    'Who else thinks {topic} is misunderstood in {niche}?',
    'Ever wonder why {topic} works for some people and not others?',
    'Which matters more in {niche}: {topic} or {word}?',
    'When did you last rethink your approach to {topic}?',
  ],
  number_list: [
    '{n} lessons about {topic} I wish I had learned sooner:',
    '{n} ways to get better at {topic} this week:',
    '{n} signs your {topic} needs a reset:',
    '{n} {word} habits that make {topic} easier:',
    '{n} questions to ask before you start on {topic}:',
    '{n} rules for {topic} that actually hold up:',
    '{n} small changes that improved my {topic}:',
    '{n} truths about {topic} nobody tells beginners:',
    '{n} ideas from {niche} that changed how I see {topic}:',
  ],
  statistic: [
    '{pct}% of people in {niche} underestimate {topic}.',
    '{pct}% of the results in {topic} come from a few boring habits.',
    'I tracked my {topic} for {days} days. The numbers surprised me.',
    '{x}x: that is the difference {word} made to my {topic}.',
    '{pct}% of {topic} advice skips the {word} part entirely.',
    'Roughly 1 in {k} people in {niche} ever measure their {topic}.',
    'What messy {topic} costs a small team: {hours} hours a week.',
    'After {count} conversations about {topic}, one number stood out: {pct}%.',
    'Cutting my {topic} routine by {pct}% made it work better.',
  ],
  contrarian: [
    'Unpopular opinion: {topic} is overrated.',
    'Unpopular opinion: most {topic} advice makes the problem worse.',
    'Stop obsessing over {topic}.',
    "Stop copying other people's {topic} playbook.",
    'Hot take: {word} matters more than {topic}.',
    "Unpopular opinion: you don't need more {topic}. You need better {word}.",
    'Stop treating {topic} like a side project.',
    'Hot take: {topic} rarely fails for the reason you think.',
    'Everyone in {niche} says {topic} is essential. I disagree.',
    'Stop waiting for the perfect moment to fix your {topic}.',
  ],
  story: [
    'I ignored {topic} for years. It cost me more than I expected.',
    'Last year I rebuilt my whole approach to {topic}.',
    'I once spent a month getting {topic} completely wrong.',
    'I thought I understood {topic}. Then I watched a pro in {niche} work.',
    'My first attempt at {topic} failed badly, and I learned why.',
    'I used to dread {topic}. Then one change made it easy.',
    'Three years ago I made {topic} my main focus in {niche}.',
    'I tried every {word} trick for {topic}, and most of them flopped.',
    'When a client asked me about {topic}, I realized I had no good answer.',
  ],
  how_to: [
    'How to get started with {topic} without overthinking it',
    'How to make {topic} part of your weekly routine',
    'How to fix your {topic} in one afternoon',
    'How to use {word} to make {topic} easier',
    'How to explain {topic} to someone new to {niche}',
    'How to tell if your {topic} is actually working',
    'How to approach {topic} when time is short',
    'How to build {topic} habits that stick',
    'How to stop second-guessing your {topic}',
  ],
  mistake: [
    'The mistake most people make with {topic}? Doing too much at once.',
    'The mistake I see most in {niche}: treating {topic} as an afterthought.',
    'The biggest {topic} mistake is not the one you think.',
    'The mistake that quietly ruins {topic}: skipping the {word}.',
    'The mistake I made with {topic} for years.',
    'The most expensive mistake in {topic} is waiting.',
    'The mistake beginners make with {topic} is copying experts.',
    'Most {topic} problems start with one mistake.',
    'The mistake nobody warns you about in {topic}.',
  ],
  bold_claim: [
    '{topic} is a skill, not a talent.',
    'Consistency beats talent in {topic}.',
    '{topic} is simpler than the experts make it sound.',
    'Better {topic} starts with {word}.',
    'Most {topic} problems are really {word} problems.',
    '{topic} will decide who wins in {niche} next year.',
    'Better {topic} is the fastest win in {niche}.',
    'You can learn {topic} in a month.',
    '{word} is the most underrated part of {topic}.',
  ],
};

const BODY_SENTENCES: readonly string[] = [
  'Most people overcomplicate {topic}.',
  'The basics of {topic} still do most of the work.',
  '{word} is where {topic} actually gets decided.',
  'Nobody talks about how much {word} shapes {topic}.',
  'In {niche}, small habits compound faster than big plans.',
  'The people who get {topic} right keep it boring and consistent.',
  'Every time I skipped the {word} step, {topic} got harder.',
  'Start with one clear goal for {topic} and ignore the rest for a week.',
  'Write down what {topic} looks like when it works.',
  'Measure one signal, not ten.',
  'Pick the simplest version of {topic} you can repeat daily.',
  'Treat {word} as a habit, not a project.',
  'Progress in {topic} is usually invisible for the first few weeks.',
  'Effective {topic} is mostly about removing friction.',
  'If it feels complicated, you are probably doing too much.',
  'Ask someone in {niche} to review your approach to {topic}.',
  'Keep a short log of what you tried and what changed.',
  'The fastest feedback loop wins.',
  'Tools help, but {word} matters more.',
  'Review your {topic} every Friday for 10 minutes.',
  "Copying a playbook works until it doesn't; understanding {word} lasts.",
  "Cut the steps that don't move {topic} forward.",
  'Clarity beats volume in {niche}.',
  'The first 20% of effort on {word} usually gives most of the result.',
];

const STYLE_SENTENCES: Record<Style, readonly string[]> = {
  playful: [
    'Spoiler: {topic} is not magic, it is reps.',
    'Yes, even your {word} counts.',
    'Your future self will thank you (and probably brag about it).',
    'No cape required.',
  ],
  direct: [
    'No shortcuts.',
    'Do the work, then judge the results.',
    "Excuses don't scale. Systems do.",
    'Fix the {word} first.',
  ],
  warm: [
    'You are not behind; everyone starts somewhere.',
    'Be patient with yourself while {topic} clicks.',
    'Small steps still count.',
    'It is okay to go slower than the people you follow.',
  ],
  analytical: [
    'Track one metric for {topic} and check it weekly.',
    'The data usually points to {word}, not effort.',
    'Compare before and after, not yourself and others.',
    'Look for the pattern, not the outlier.',
  ],
};

const LIST_ITEMS: readonly string[] = [
  'Start smaller than you think.',
  'Make {word} a weekly habit.',
  'Measure one signal, not ten.',
  'Write the plan down before you begin.',
  'Ask for feedback early.',
  "Cut what doesn't move {topic} forward.",
  'Block time for {topic} on your calendar.',
  'Review what worked every Friday.',
  'Learn from people in {niche} one step ahead of you.',
  'Keep your tools simple.',
  'Stop waiting for perfect conditions.',
  'Share what you learn in public.',
  'Treat {word} as the foundation.',
];

const CTAS: readonly string[] = [
  "What's your take on {topic}?",
  'What would you add?',
  'Have you tried this? Tell me how it went.',
  'Save this for your next {topic} session.',
  'Agree or disagree?',
  'Drop your best {topic} tip below.',
  'What has worked for you?',
  'Follow for more on {niche}.',
  'Which part do you struggle with most?',
];

const LIST_CTAS: readonly string[] = [
  'Which one are you trying first?',
  'What would you add to this list?',
  'Which one do you skip?',
];

const FALLBACK_WORDS = ['consistency', 'focus', 'clarity', 'feedback', 'process', 'practice'];

const STYLE_KEYWORDS: Record<Style, RegExp> = {
  playful: /\b(playful|witty|funny|humou?r|cheeky|casual|light|fun|irreverent)/i,
  direct: /\b(direct|blunt|bold|punchy|no-nonsense|straight|confident|assertive)/i,
  warm: /\b(warm|friendly|kind|supportive|encouraging|empathetic|gentle|caring)/i,
  analytical: /\b(analytical|data|precise|calm|thoughtful|expert|professional|measured|nerdy)/i,
};

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
      const cut = head.slice(0, ch === '\n' ? i : i + 1).join('').trimEnd();
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

function listBody(input: WriteBodyInput, ctx: Context): { parts: string[]; separator: string; hasCta: boolean } {
  const wanted = Number(/^\s*(\d+)/.exec(input.hook)?.[1] ?? 3);
  const items = chooseManyClean(LIST_ITEMS, Math.min(Math.max(wanted, 2), 5), ctx).map((item, i) => `${i + 1}. ${item}`);
  const hasCta = items.length < 5 && ctx.rng() < 0.75;
  const parts = hasCta ? [...items, chooseClean(LIST_CTAS, ctx)] : items;
  return { parts, separator: '\n', hasCta };
}

function proseBody(input: WriteBodyInput, ctx: Context): { parts: string[]; separator: string; hasCta: boolean } {
  const { rng, persona } = ctx;
  const concise =
    /\b(concise|short|punchy|terse|minimal)/i.test(`${persona.voice} ${persona.tone}`) || /\blong/i.test(input.feedback ?? '');
  const count = concise ? randomInt(rng, 2, 3) : randomInt(rng, 2, 4);

  const styled = styles(persona).flatMap((s) => STYLE_SENTENCES[s]);
  const sentences: string[] = [];
  // Tone shows mostly through one style sentence; the rest come from the shared pool.
  if (styled.length && rng() < 0.7) sentences.push(...chooseManyClean(styled, 1, ctx));
  for (const s of chooseManyClean(BODY_SENTENCES, count, ctx)) {
    if (sentences.length < count) sentences.push(s);
  }

  const hasCta = rng() < 0.75;
  const ordered = shuffle(rng, sentences);
  const parts = hasCta ? [...ordered, chooseClean(CTAS, ctx)] : ordered;
  const separator = pick(rng, ['\n\n', '\n\n', '\n', ' ']);
  return { parts, separator, hasCta };
}

export function composeBody(input: WriteBodyInput): string {
  const ctx = context(input, 'body');
  const { parts, separator, hasCta } = input.hookPattern === 'number_list' && /^\s*\d/.test(input.hook)
    ? listBody(input, ctx)
    : proseBody(input, ctx);
  return fitParts(parts, separator, input.maxChars, hasCta);
}

export function createOfflineComposer(): ContentModel {
  return {
    provider: 'offline',
    writeHook: async (input) => output(composeHook(input), input),
    writeBody: async (input) => output(composeBody(input), input),
  };
}
