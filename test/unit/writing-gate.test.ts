import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scorePost } from '../../src/generation/quality-score.ts';
import { loadPersonaLibrary } from '../../src/personas/index.ts';

interface Fixture {
  persona: string;
  topic: string;
  hook: string;
  body: string;
  wrong?: string;
  recent?: string[];
}

const load = (name: string): Fixture[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/writing/${name}`, import.meta.url), 'utf8')) as Fixture[];
const library = loadPersonaLibrary();

function review(f: Fixture) {
  const persona = library.find((p) => p.slug === f.persona);
  if (!persona) throw new Error(`fixture persona ${f.persona} is not in the library`);
  return scorePost({ hook: f.hook, body: f.body, persona, topic: f.topic, recentTexts: f.recent }).writing;
}

describe('the writing gate', () => {
  const bad = load('bad-posts.json');
  const good = load('good-posts.json');

  it('has at least 60 labelled bad posts and 60 good ones', () => {
    expect(bad.length).toBeGreaterThanOrEqual(60);
    expect(good.length).toBeGreaterThanOrEqual(60);
    expect(bad.every((f) => f.wrong && f.wrong.length > 5)).toBe(true);
  });

  it.each(bad.map((f, i) => [i, f.wrong, f] as const))('stops bad post %i (%s)', (_i, wrong, f) => {
    const result = review(f);
    expect(result.verdict).not.toBe('accept');
    // The check the label names is among the failed ones.
    const named = String(wrong).split(':')[0]!.split('/');
    expect(result.failed.some((c) => named.includes(c))).toBe(true);
  });

  it.each(good.map((f, i) => [i, f.topic, f] as const))('accepts good post %i (%s)', (_i, _topic, f) => {
    const result = review(f);
    expect(result.failed).toEqual([]);
    expect(result.verdict).toBe('accept');
  });
});
