import { describe, expect, it } from 'vitest';
import { classifyOpening, closingOf, openingOf, readPost } from '../../src/sim/post-reading.ts';

describe("the simulated audience's own reading of a post", () => {
  it.each([
    ['Why do so many trials never convert?\nHere is what we found.', 'question'],
    ['Ever priced a plan twice in one week? We did.', 'question'],
    ['How to win back expired cards in a week.\nStep one: email early.', 'how_to'],
    ['How we cut churn by 40% in 60 days:\nWe emailed early.', 'how_to'],
    ['Unpopular opinion: annual plans are overrated.\nMonthly wins.', 'contrarian'],
    ['Stop chasing new signups.\nFix churn first.', 'contrarian'],
    ['Stop treating onboarding like a side project.\nIt is the product.', 'contrarian'],
    ['5 pricing tests we ran this year:\n1. Annual\n2. Seats', 'list'],
    ['What we changed:\n1. The pricing page\n2. The trial emails\n- and the onboarding', 'list'],
    ['The biggest mistake we made with churn.\nWe waited.', 'mistake'],
    ['I wish I had known this about dunning emails.\nSend them early.', 'mistake'],
    ['38% of our churn came from expired cards.\nNot unhappy users.', 'figure'],
    ['Our MRR hit $12k in March.\nHere is the breakdown.', 'figure'],
    ['Roughly 1 in 6 founders track their churn.\nBe that one.', 'figure'],
    ['What a messy billing page costs: 4 hours a week.\nEvery week.', 'figure'],
    ['Last spring we almost shut the product down.\nThen a customer called.', 'story'],
    ['I rewrote the onboarding from scratch.\nIt took a weekend.', 'story'],
    ['Churn is the only metric that matters early on.\nEverything else follows.', 'claim'],
    ['You can learn pricing in a month.\nHere is the plan.', 'claim'],
    ['Good morning everyone.\nBack at it.', 'plain'],
  ] as const)('reads %j as %s', (text, form) => {
    expect(classifyOpening(text)).toBe(form);
  });

  it('takes the first line as the opening and the last line as the closing; one paragraph splits by sentence', () => {
    expect(openingOf('First line here\nsecond line\nthird?')).toBe('First line here');
    expect(closingOf('First line here\nsecond line\nthird?')).toBe('third?');
    expect(openingOf('One sentence. Another one! A third?')).toBe('One sentence.');
    expect(closingOf('One sentence. Another one! A third?')).toBe('A third?');
    expect(closingOf('Only one sentence?')).toBe('');
  });

  it('notices a closing question, a call to action and emoji; a one-sentence question has no closing question', () => {
    const asks = readPost('We doubled trials.\nWhich would you test first? 🤔', null);
    expect(asks).toMatchObject({ closingQuestion: true, callToAction: false, emoji: 1 });
    expect(readPost('We doubled trials.\nFollow me for the next experiment.', null)).toMatchObject({
      closingQuestion: false,
      callToAction: true,
      emoji: 0,
    });
    expect(readPost('Would you pay yearly?', null).closingQuestion).toBe(false);
    expect(readPost('Would you pay yearly?', null).opening).toBe('question');
  });

  it('judges topic fit against the profile and counts characters as code points', () => {
    const profile = { niche: 'SaaS', topics: ['churn from expired cards'], vocabulary: ['MRR', 'dunning emails'] };
    const on = readPost('Churn from expired cards ate our MRR until we sent dunning emails.', profile);
    expect(on.topicFit).toBeCloseTo(1, 6);
    expect(on.topic).toBe('churn from expired cards');
    expect(readPost('Sourdough needs a warm kitchen.', profile).topicFit).toBe(0);
    expect(readPost('Sourdough needs a warm kitchen.', null).topicFit).toBe(0.5);
    expect(readPost('🙂🙂', null).chars).toBe(2);
  });
});
