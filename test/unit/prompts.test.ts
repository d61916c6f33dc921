import { describe, expect, it } from 'vitest';
import { buildBodyMessages, buildHookMessages } from '../../src/generation/model/prompts.ts';
import { personaFields } from '../support/factories.ts';

const persona = personaFields();
const base = { persona, topic: 'onboarding emails', hookPattern: 'statistic' as const, seed: 1 };
const text = (messages: { content: string }[]) => messages.map((m) => m.content).join('\n');

describe('model prompts', () => {
  it('forbid unsourced statistics in every call', () => {
    for (const prompt of [
      text(buildHookMessages(base)),
      text(buildBodyMessages({ ...base, hook: 'h', maxChars: 300 })),
    ]) {
      expect(prompt).toMatch(/Never state a statistic or study result as fact/);
      expect(prompt).toMatch(/own experience/);
    }
    expect(text(buildHookMessages(base))).not.toMatch(/striking number or fact/);
  });

  it('carry the length band, the closing and the emoji choice as instructions', () => {
    const arms = { length: 'short', closing: 'call_to_action', emoji: false } as const;
    const hook = text(buildHookMessages({ ...base, arms }));
    const body = text(buildBodyMessages({ ...base, arms, hook: 'h', maxChars: 300 }));
    expect(hook).toContain('60–180 characters');
    expect(hook).toContain('Use no emoji.');
    expect(body).toContain('60–180 characters');
    expect(body).toMatch(/End with a call to action/);
    const asking = text(
      buildBodyMessages({
        ...base,
        arms: { length: 'long', closing: 'question', emoji: true },
        hook: 'h',
        maxChars: 300,
      }),
    );
    expect(asking).toContain('330–500 characters');
    expect(asking).toContain('End with a question to the reader.');
    expect(asking).toContain('Use exactly one fitting emoji.');
    const none = text(
      buildBodyMessages({
        ...base,
        arms: { length: 'medium', closing: 'none', emoji: false },
        hook: 'h',
        maxChars: 300,
      }),
    );
    expect(none).toContain('End on a statement: no question and no call to action.');
  });

  it('leave the shape to the model when no arms are chosen', () => {
    const body = text(buildBodyMessages({ ...base, hook: 'h', maxChars: 300 }));
    expect(body).not.toMatch(/characters \((short|medium|long)\)/);
    expect(body).not.toMatch(/emoji/);
  });
});
