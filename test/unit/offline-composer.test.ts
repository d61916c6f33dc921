import { describe, it, expect } from 'vitest';
import { createOfflineComposer, truncateAtBoundary } from '../../src/generation/model/offline-composer.ts';
import { HOOK_PATTERNS, type HookPattern } from '../../src/personas/hook-patterns.ts';
import { checkGuardrails } from '../../src/generation/guardrails.ts';
import { detectHookForm, scorePost } from '../../src/generation/quality-score.ts';
import {
  CLOSINGS,
  type ContentArms,
  LENGTH_BAND_CHARS,
  LENGTH_BANDS,
} from '../../src/generation/model/content-arms.ts';
import { sentenceKey, splitSentences } from '../../src/generation/writing/sentences.ts';
import { loadPersonaLibrary } from '../../src/personas/library.ts';
import type { PersonaFields } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';

const persona = personaFields({
  slug: 'sales-sam',
  name: 'Sam',
  niche: 'B2B sales',
  audience: 'early-stage founders who sell',
  voice: 'practical, concrete',
  tone: 'direct',
  topics: ['cold email', 'pipeline reviews'],
  vocabulary: ['pipeline', 'discovery call', 'follow-up'],
  banned_words: ['guru', 'hack'],
  banned_topics: ['crypto'],
  hook_patterns: [...HOOK_PATTERNS],
});

const topic = 'cold email outreach';
const model = createOfflineComposer();
const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
const chars = (s: string) => [...s].length;

async function compose(
  pattern: HookPattern,
  seed: number,
  maxChars = 400,
  p: PersonaFields = persona,
  feedback?: string,
) {
  const hook = await model.writeHook({ persona: p, topic, hookPattern: pattern, seed, feedback });
  const body = await model.writeBody({
    persona: p,
    topic,
    hookPattern: pattern,
    seed,
    feedback,
    hook: hook.text,
    maxChars,
  });
  return { hook, body, text: `${hook.text}\n\n${body.text}` };
}

describe('createOfflineComposer', () => {
  it('reports itself honestly as the offline provider', async () => {
    const { hook, body } = await compose('question', 1);
    expect(model.provider).toBe('offline');
    for (const out of [hook, body]) {
      expect(out.provider).toBe('offline');
      expect(out.model).toBe('offline-composer-v2');
    }
  });

  it('estimates usage as ceil(chars / 4)', async () => {
    const { hook, body } = await compose('story', 3);
    expect(hook.usage.completionTokens).toBe(Math.ceil(chars(hook.text) / 4));
    expect(body.usage.completionTokens).toBe(Math.ceil(chars(body.text) / 4));
    expect(hook.usage.promptTokens).toBeGreaterThan(10);
    expect(body.usage.promptTokens).toBeGreaterThan(hook.usage.promptTokens);
  });

  it('is deterministic for the same seed and inputs', async () => {
    for (const pattern of HOOK_PATTERNS) {
      const a = await compose(pattern, 42);
      const b = await compose(pattern, 42);
      expect(b.text).toBe(a.text);
    }
  });

  it('gives visibly different posts for different seeds', async () => {
    for (const pattern of HOOK_PATTERNS) {
      const texts = new Set<string>();
      for (const seed of seeds) texts.add((await compose(pattern, seed)).text);
      expect(texts.size, pattern).toBeGreaterThanOrEqual(15);
    }
    const hooks = new Set<string>();
    for (const seed of seeds)
      hooks.add((await model.writeHook({ persona, topic, hookPattern: 'question', seed })).text);
    expect(hooks.size).toBeGreaterThanOrEqual(6);
  });

  it('changes the draft when feedback is given', async () => {
    const first = await compose('contrarian', 7);
    const retry = await compose('contrarian', 7, 400, persona, 'too similar to an earlier post');
    expect(retry.text).not.toBe(first.text);
    const retryAgain = await compose('contrarian', 7, 400, persona, 'too similar to an earlier post');
    expect(retryAgain.text).toBe(retry.text);
  });

  for (const pattern of HOOK_PATTERNS) {
    it(`writes ${pattern} hooks that read as that form`, async () => {
      for (const seed of seeds) {
        const { text } = await model.writeHook({ persona, topic, hookPattern: pattern, seed });
        expect(detectHookForm(text), text).toBe(pattern);
      }
    });
  }

  it('names the topic in every post, in the hook or the body', async () => {
    for (const pattern of HOOK_PATTERNS) {
      for (const seed of seeds) {
        const { text } = await compose(pattern, seed, 500);
        expect(text.toLowerCase(), text).toContain(topic);
      }
    }
  });

  it('uses persona vocabulary and niche across drafts', async () => {
    const all: string[] = [];
    for (const pattern of HOOK_PATTERNS)
      for (const seed of seeds.slice(0, 5)) all.push((await compose(pattern, seed)).text);
    const joined = all.join('\n');
    for (const word of persona.vocabulary) expect(joined).toContain(word);
    expect(joined).toContain(persona.niche);
  });

  it('writes a body of sentences, and exactly the promised number of items for number_list', async () => {
    for (const seed of seeds) {
      const { body } = await compose('how_to', seed, 500);
      const sentences = body.text.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length).toBeGreaterThanOrEqual(1);
      expect(sentences.length).toBeLessThanOrEqual(7);

      const list = await compose('number_list', seed, 500);
      const n = Number(/^(\d+)/.exec(list.hook.text)?.[1]);
      const items = list.body.text.split('\n').filter((l) => /^\d+\. /.test(l));
      expect(items.map((l) => l.slice(0, 2))).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}.`));
    }
  });

  it('always fits maxChars, cutting on a boundary', async () => {
    for (const maxChars of [0, 12, 40, 80, 150, 300]) {
      for (const pattern of HOOK_PATTERNS) {
        for (const seed of seeds.slice(0, 5)) {
          const { body } = await compose(pattern, seed, maxChars);
          expect(chars(body.text)).toBeLessThanOrEqual(maxChars);
          if (maxChars >= 80) expect(body.text, body.text).toMatch(/[.!?:…]$/);
        }
      }
    }
  });

  it("never emits the persona's banned words, even ones its templates and vocabulary use", async () => {
    const strict: PersonaFields = {
      ...persona,
      vocabulary: ['pipeline', 'growth hack', 'follow-up'],
      banned_words: ['pipeline', 'hack', 'stop', 'mistake', 'habits', 'what', 'follow', 'people', 'tip'],
    };
    const banned = new RegExp(`\\b(${strict.banned_words.join('|')})\\b`, 'i');
    for (const pattern of HOOK_PATTERNS) {
      for (const seed of seeds) {
        const { text } = await compose(pattern, seed, 500 - 120, strict);
        expect(text, text).not.toMatch(banned);
      }
    }
  });

  it('drops a banned word even when it comes from the topic', async () => {
    const hook = await model.writeHook({
      persona: { ...persona, banned_words: ['cold'] },
      topic,
      hookPattern: 'question',
      seed: 1,
    });
    expect(hook.text.toLowerCase()).not.toMatch(/\bcold\b/);
  });

  it('produces posts that pass the guardrails', async () => {
    for (const pattern of HOOK_PATTERNS) {
      for (const seed of seeds) {
        const hook = await model.writeHook({ persona, topic, hookPattern: pattern, seed });
        const maxChars = 500 - chars(hook.text) - 2;
        const body = await model.writeBody({ persona, topic, hookPattern: pattern, seed, hook: hook.text, maxChars });
        const text = `${hook.text}\n\n${body.text}`;
        expect(checkGuardrails({ text, topic, persona })).toEqual({ ok: true });
      }
    }
  });
});

describe('truncateAtBoundary', () => {
  it('keeps text that fits and cuts at the last sentence that fits', () => {
    expect(truncateAtBoundary('Short one.', 20)).toBe('Short one.');
    expect(truncateAtBoundary('First sentence. Second sentence is longer.', 30)).toBe('First sentence.');
  });

  it('falls back to a word boundary with an ellipsis', () => {
    const cut = truncateAtBoundary('one two three four five six', 15);
    expect(cut).toBe('one two three…');
    expect(chars(cut)).toBeLessThanOrEqual(15);
  });

  it('counts code points, not UTF-16 units', () => {
    const cut = truncateAtBoundary('🚀🚀🚀 launch day. More to come soon.', 16);
    expect(cut).toBe('🚀🚀🚀 launch day.');
  });
});

describe('the offline composer with content arms and library material', () => {
  const library = loadPersonaLibrary();
  const baker = library.find((p) => p.slug === 'sourdough-baker')!;
  const nurse = library.find((p) => p.slug === 'nursing-life')!;

  async function post(
    p: PersonaFields,
    topicText: string,
    pattern: HookPattern,
    seed: number,
    arms?: ContentArms,
    recentTexts: string[] = [],
  ) {
    const input = { persona: p, topic: topicText, hookPattern: pattern, seed, arms, recentTexts };
    const hook = (await model.writeHook(input)).text;
    const body = (await model.writeBody({ ...input, hook, maxChars: 500 - chars(hook) - 2 })).text;
    return { hook, body, text: `${hook}\n\n${body}` };
  }

  it('keeps every post within the asked length band, closing and emoji choice', async () => {
    let seed = 0;
    for (const length of LENGTH_BANDS) {
      for (const closing of CLOSINGS) {
        for (const emoji of [true, false]) {
          for (const pattern of HOOK_PATTERNS) {
            const { text } = await post(baker, 'shaping a boule', pattern, seed++, { length, closing, emoji });
            const n = chars(text);
            const band = LENGTH_BAND_CHARS[length];
            expect(n, `${length}: ${text}`).toBeLessThanOrEqual(band.max);
            // Short material can leave a post a little under its band, never a band lower.
            expect(n, `${length}: ${text}`).toBeGreaterThanOrEqual(
              length === 'short' ? 40 : LENGTH_BAND_CHARS.short.max - 40,
            );
            expect(/\p{Extended_Pictographic}/u.test(text), text).toBe(emoji);
            const last = text
              .trim()
              .split('\n')
              .at(-1)!
              .replace(/\s*\p{Extended_Pictographic}+$/u, '');
            if (closing === 'question') expect(last, text).toMatch(/\?$/);
            // A list of questions may end on its last item; any other post without a question closing asks nothing last.
            if (closing !== 'question' && !/^\d+\. /.test(last)) expect(last, text).not.toMatch(/\?$/);
          }
        }
      }
    }
  });

  it('writes from the persona’s niche: a baker and a nurse never share a sentence', async () => {
    const sentences = async (p: PersonaFields) => {
      const out = new Set<string>();
      for (const pattern of HOOK_PATTERNS)
        for (const seed of seeds.slice(0, 6))
          for (const s of splitSentences((await post(p, p.topics[seed % p.topics.length]!, pattern, seed)).text))
            out.add(sentenceKey(s));
      return out;
    };
    const [a, b] = [await sentences(baker), await sentences(nurse)];
    expect([...a].filter((s) => s.split(' ').length >= 3 && b.has(s))).toEqual([]);
  });

  it('does not repeat a sentence across 50 posts when it is given the recent ones', async () => {
    const recent: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0; i < 50; i++) {
      const arms = { length: LENGTH_BANDS[i % 3]!, closing: CLOSINGS[i % 3]!, emoji: false };
      const { text } = await post(
        baker,
        baker.topics[i % baker.topics.length]!,
        baker.hook_patterns[i % baker.hook_patterns.length]!,
        i,
        arms,
        recent,
      );
      for (const s of splitSentences(text).map(sentenceKey))
        if (s.split(' ').length >= 3) seen.set(s, (seen.get(s) ?? 0) + 1);
      recent.unshift(text);
    }
    expect([...seen].filter(([, n]) => n > 1).map(([s]) => s)).toEqual([]);
  });

  it('writes posts the writing gate accepts, with no statistic it cannot source', async () => {
    let accepted = 0;
    let total = 0;
    for (const p of [baker, nurse]) {
      for (const pattern of HOOK_PATTERNS) {
        for (const seed of seeds.slice(0, 5)) {
          const t = p.topics[seed % p.topics.length]!;
          const { hook, body, text } = await post(p, t, pattern, seed);
          const { writing } = scorePost({ hook, body, text, persona: p, topic: t });
          total++;
          if (writing.verdict === 'accept') accepted++;
          expect(writing.checks.unsourced_statistic.passed, text).toBe(true);
          expect(writing.checks.grammar.passed, `${writing.checks.grammar.note}\n${text}`).toBe(true);
        }
      }
    }
    expect(accepted / total).toBeGreaterThanOrEqual(0.9);
  });
});
