import { describe, it, expect } from 'vitest';
import { loadPersonaLibrary } from '../../src/personas/library.ts';
import { HOOK_PATTERNS } from '../../src/personas/hook-patterns.ts';

const personas = loadPersonaLibrary();
const norm = (s: string) => s.trim().toLowerCase();

describe('persona library', () => {
  it('loads and validates without throwing', () => {
    expect(() => loadPersonaLibrary()).not.toThrow();
  });

  it('loads at least 150 personas', () => {
    expect(personas.length).toBeGreaterThanOrEqual(150);
  });

  it('has unique slugs and names', () => {
    expect(new Set(personas.map((p) => p.slug)).size).toBe(personas.length);
    expect(new Set(personas.map((p) => norm(p.name))).size).toBe(personas.length);
  });

  it('gives every persona enough topics and vocabulary', () => {
    for (const p of personas) {
      expect(p.topics.length, p.slug).toBeGreaterThanOrEqual(5);
      expect(p.vocabulary.length, p.slug).toBeGreaterThanOrEqual(8);
    }
  });

  it('never repeats a niche with the same voice', () => {
    const keys = personas.map((p) => `${norm(p.niche)}|${norm(p.voice)}`);
    expect(new Set(keys).size).toBe(personas.length);
  });

  it('uses every hook pattern in at least 10 personas', () => {
    for (const pattern of HOOK_PATTERNS) {
      const users = personas.filter((p) => p.hook_patterns.includes(pattern)).length;
      expect(users, pattern).toBeGreaterThanOrEqual(10);
    }
  });
});
