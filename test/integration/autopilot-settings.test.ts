import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutopilotCommand } from '../../src/app/commands/autopilot.command.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('autopilot and learning mode on a persona', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', { worker: false });
  });
  afterAll(async () => t?.close());

  it('is set with PATCH, refused with a message when malformed, and read back', async () => {
    const persona = await t.createPersona();
    expect(persona.autopilot).toBeNull();
    expect(persona.learning_mode).toBe('on');
    const bad = await t.api(`/v1/personas/${persona.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ autopilot: { posts_per_day: 0 } }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('at least 1 post a day');
    const wrongMode = await t.api(`/v1/personas/${persona.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ learning_mode: 'sometimes' }),
    });
    expect(wrongMode.status).toBe(400);

    const ok = await t.api(`/v1/personas/${persona.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ autopilot: { posts_per_day: 4, topics: ['pricing pages'] }, learning_mode: 'off' }),
    });
    expect(ok.status).toBe(200);
    const read = (await (await t.api(`/v1/personas/${persona.id}`)).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ autopilot: { posts_per_day: 4, topics: ['pricing pages'] }, learning_mode: 'off' });

    // Learning off: the report says so and every arm is equally likely.
    const learning = (await (await t.api(`/v1/personas/${persona.id}/learning`)).json()) as {
      learning: string;
      choices: { choice: string; arms: { probability: number }[] }[];
    };
    expect(learning.learning).toBe('off');
    const patterns = learning.choices.find((c) => c.choice === 'hook_pattern')!.arms;
    for (const arm of patterns) expect(arm.probability).toBeCloseTo(1 / patterns.length);
    expect((await t.api('/v1/personas/00000000-0000-4000-8000-000000000000/learning')).status).toBe(404);
  });

  it('is set from the CLI for several personas at once', async () => {
    const a = await t.createPersona();
    const b = await t.createPersona();
    const lines: string[] = [];
    const code = await runAutopilotCommand(
      t.deps,
      [a.slug, b.slug],
      { postsPerDay: 6, approval: 'auto', learning: 'on' },
      (l) => lines.push(l),
    );
    expect(code).toBe(0);
    expect(lines).toEqual([
      `${a.slug}: autopilot 6 posts a day, learning on, approval auto`,
      `${b.slug}: autopilot 6 posts a day, learning on, approval auto`,
    ]);
    expect(await runAutopilotCommand(t.deps, [a.slug], { off: true }, (l) => lines.push(l))).toBe(0);
    expect(lines.at(-1)).toBe(`${a.slug}: autopilot off, learning on, approval auto`);
    expect(await runAutopilotCommand(t.deps, [a.slug], { learning: 'maybe' }, (l) => lines.push(l))).toBe(2);
    expect(await runAutopilotCommand(t.deps, ['no-such-persona'], { off: true }, (l) => lines.push(l))).toBe(1);
  });
});
