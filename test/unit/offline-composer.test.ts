import { describe, it, expect } from 'vitest';
import { createOfflineComposer, truncateAtBoundary } from '../../src/generation/model/offline-composer.ts';
import { HOOK_PATTERNS, type HookPattern } from '../../src/personas/hook-patterns.ts';
import { checkGuardrails } from '../../src/generation/guardrails.ts';
import { detectHookForm } from '../../src/generation/quality-score.ts';
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
      expect(out.model).toBe('offline-composer-v1');
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

  const forms: Record<HookPattern, (hook: string) => boolean> = {
    question: (h) => h.endsWith('?'),
    number_list: (h) => /^\d+ \p{L}/u.test(h),
    statistic: (h) => /\d/.test(h),
    contrarian: (h) => /^(Unpopular opinion:|Stop |Hot take:)|\bI disagree\b/.test(h),
    story: (h) =>
      /\b(I|My)\b/.test(h) && /\b(ignored|rebuilt|spent|thought|failed|used to|made|tried|asked|realized)\b/.test(h),
    how_to: (h) => h.startsWith('How to '),
    mistake: (h) => /\bmistake\b/i.test(h),
    bold_claim: (h) => /\.$/.test(h) && !h.includes('?') && chars(h) <= 110,
  };

  for (const pattern of HOOK_PATTERNS) {
    it(`writes ${pattern} hooks in that form, using the topic`, async () => {
      for (const seed of seeds) {
        const { text } = await model.writeHook({ persona, topic, hookPattern: pattern, seed });
        expect(forms[pattern](text), text).toBe(true);
        expect(text.toLowerCase()).toContain(topic);
        expect(detectHookForm(text), text).toBe(pattern);
      }
    });
  }

  it('uses persona vocabulary and niche across drafts', async () => {
    const all: string[] = [];
    for (const pattern of HOOK_PATTERNS)
      for (const seed of seeds.slice(0, 5)) all.push((await compose(pattern, seed)).text);
    const joined = all.join('\n');
    for (const word of persona.vocabulary) expect(joined).toContain(word);
    expect(joined).toContain(persona.niche);
  });

  it('writes a 2–5 line body, numbered for number_list', async () => {
    for (const seed of seeds) {
      const { body } = await compose('how_to', seed, 500);
      const sentences = body.text.split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(6);

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
