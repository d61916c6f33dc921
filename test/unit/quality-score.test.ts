import { describe, it, expect } from 'vitest';
import { QUALITY_FEATURES, QUALITY_WEIGHTS, detectHookForm, scorePost } from '../../src/generation/quality-score.ts';
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
  banned_words: [],
  banned_topics: [],
  hook_patterns: ['number_list', 'question'],
});
const topic = 'cold email outreach';

const strongHook = '3 cold email outreach fixes that doubled my reply rate in 30 days:';
const strongBody = [
  '1. Cut the first line to 12 words.',
  '2. Book the discovery call in the first email.',
  '3. Send one follow-up after 4 days, not five.',
  'Which one would you test first in your pipeline?',
].join('\n');
const strong = { hook: strongHook, body: strongBody, text: `${strongHook}\n\n${strongBody}`, persona, topic };
const weak = { hook: 'Things are very good stuff.', body: '', text: 'Things are very good stuff.', persona, topic };

describe('scorePost', () => {
  it('lists every feature with weights that sum to 1', () => {
    expect(Object.keys(QUALITY_WEIGHTS).sort()).toEqual([...QUALITY_FEATURES].sort());
    const total = QUALITY_FEATURES.reduce((sum, f) => sum + QUALITY_WEIGHTS[f], 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('explains each feature and sums the contributions into the score', () => {
    const { score, features } = scorePost(strong);
    expect(Object.keys(features).sort()).toEqual([...QUALITY_FEATURES].sort());
    let sum = 0;
    for (const name of QUALITY_FEATURES) {
      const f = features[name];
      expect(f.value).toBeGreaterThanOrEqual(0);
      expect(f.value).toBeLessThanOrEqual(1);
      expect(f.contribution).toBeCloseTo(f.value * f.weight, 10);
      expect(f.note.length).toBeGreaterThan(0);
      sum += f.contribution;
    }
    expect(score).toBeCloseTo(sum, 10);
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
  });

  it('scores a specific, numbered post with a question far above a vague one', () => {
    const good = scorePost(strong);
    const bad = scorePost(weak);
    expect(good.score).toBeGreaterThan(0.8);
    expect(bad.score).toBeLessThan(0.45);
    expect(good.score - bad.score).toBeGreaterThan(0.4);

    expect(good.features.numbers.value).toBe(1);
    expect(good.features.question.value).toBe(1);
    expect(good.features.call_to_action.value).toBe(1);
    expect(good.features.hook_form.note).toContain('number_list');
    expect(bad.features.specificity.value).toBe(0);
    expect(bad.features.numbers.value).toBe(0);
    expect(bad.features.call_to_action.value).toBe(0);
  });

  it('counts a persona term only as whole words, across line breaks and next to punctuation or emoji', () => {
    const specificity = (text: string) =>
      scorePost({ hook: text, body: '', text, persona, topic: 'x' }).features.specificity.note;
    expect(specificity('Book the discovery\ncall; then the follow-up.')).toContain('domain terms 2');
    expect(specificity('Pipelines and subpipeline talk.')).toContain('domain terms 0');
    expect(specificity('🚀pipeline🚀 first')).toContain('domain terms 1');
    expect(specificity('𝐀pipeline first')).toContain('domain terms 0');
  });

  it('prefers hooks of 40–110 characters', () => {
    const at = (hook: string) => scorePost({ ...strong, hook }).features.hook_length.value;
    expect(at(strongHook)).toBe(1);
    expect(at('Cold email.')).toBeLessThan(0.5);
    expect(at(`${strongHook} ${'and this goes on and on '.repeat(6)}`)).toBeLessThan(0.5);
  });

  it('penalises posts over 500 characters heavily', () => {
    const padding = ' Then another long sentence about cold email outreach and the pipeline we kept.'.repeat(4);
    const within = scorePost(strong);
    const overText = `${strong.text}${padding}`;
    expect([...overText].length).toBeGreaterThan(500);
    const over = scorePost({ ...strong, body: strongBody + padding, text: overText });
    expect(over.features.length.value).toBe(0);
    expect(over.features.length.note).toContain('over the 500');
    expect(within.score - over.score).toBeGreaterThanOrEqual(QUALITY_WEIGHTS.length);
  });

  it('rewards length in the 150–400 range over very short posts', () => {
    expect(scorePost(strong).features.length.value).toBe(1);
    expect(
      scorePost({ ...strong, body: 'Try it.', text: `${strongHook}\n\nTry it.` }).features.length.value,
    ).toBeLessThan(0.6);
  });

  it('counts standalone figures but not list markers or digits inside names', () => {
    const numbers = (text: string) => scorePost({ ...strong, body: text, text }).features.numbers.value;
    expect(numbers('1. Sell B2B.\n2. Use G2 reviews.')).toBe(0);
    expect(numbers('Reply rates went up 40%.')).toBe(0.7);
    expect(numbers('40% more replies in 30 days.')).toBe(1);
  });

  it('defaults the text to hook and body', () => {
    const { text: _text, ...withoutText } = strong;
    expect(scorePost(withoutText).score).toBeCloseTo(scorePost(strong).score, 10);
  });

  it('gives an easier-to-read post a higher readability value', () => {
    const plain = 'Send shorter emails. Ask one clear question. Follow up once.';
    const dense =
      'Organisational communication methodologies necessitate comprehensive individualised personalisation considerations throughout sequential correspondence.';
    const r = (text: string) => scorePost({ ...strong, body: text, text }).features.readability.value;
    expect(r(plain)).toBeGreaterThan(r(dense));
  });
});

describe('detectHookForm', () => {
  it.each([
    ['Why do most cold emails get ignored?', 'question'],
    ['5 lessons from 1,000 cold emails', 'number_list'],
    ['Unpopular opinion: cold email is not dead.', 'contrarian'],
    ['Stop writing long cold emails.', 'contrarian'],
    ['How to write a cold email in 10 minutes', 'how_to'],
    ['The mistake that kills most cold emails.', 'mistake'],
    ['73% of cold emails are never opened.', 'statistic'],
    ['1 in 4 replies came from the follow-up.', 'statistic'],
    ['I learned cold email the hard way.', 'story'],
    ['Cold email is a skill.', 'bold_claim'],
  ] as const)('%s → %s', (hook, form) => {
    expect(detectHookForm(hook)).toBe(form);
  });

  it('returns null for a rambling opener', () => {
    expect(detectHookForm('so anyway here is what happened with the emails and everything after that')).toBeNull();
  });
});
