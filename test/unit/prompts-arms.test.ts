import { describe, expect, it } from 'vitest';
import { buildBodyMessages, buildHookMessages } from '../../src/generation/model/prompts.ts';
import { personaFields } from '../support/factories.ts';

describe('prompts carry what the learning loop chose', () => {
  const base = { persona: personaFields(), topic: 'pricing pages', hookPattern: 'question' as const, seed: 1 };

  it('turn the arms into instructions and show the best recent posts as examples', () => {
    const examples = [
      'What if your pricing page\nhid the cheapest plan?',
      'Three churn calls that changed my onboarding.',
    ];
    const body = buildBodyMessages({
      ...base,
      hook: 'Why do pricing pages fail?',
      maxChars: 400,
      arms: { length: 'short', closing: 'call_to_action', emoji: true },
      examples,
    }).at(-1)!.content;
    expect(body).toContain('60–180 characters');
    expect(body).toContain('call to action');
    expect(body).toContain('exactly one fitting emoji');
    expect(body).toContain('1. What if your pricing page hid the cheapest plan?');
    const hook = buildHookMessages({ ...base, examples }).at(-1)!.content;
    expect(hook).toContain('2. Three churn calls that changed my onboarding.');
  });

  it('say nothing of arms or examples when the loop chose none', () => {
    const body = buildBodyMessages({ ...base, hook: 'Why?', maxChars: 400 }).at(-1)!.content;
    expect(body).not.toMatch(/emoji|characters\)|engaged with most/);
    expect(
      buildBodyMessages({
        ...base,
        hook: 'Why?',
        maxChars: 400,
        arms: { length: 'long', closing: 'none', emoji: false },
      }).at(-1)!.content,
    ).toContain('no question and no call to action');
  });
});
