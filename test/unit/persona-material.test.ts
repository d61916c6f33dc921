import { describe, expect, it } from 'vitest';
import { loadMaterialLibrary, loadPersonaLibrary, materialFor } from '../../src/personas/index.ts';
import { personaFields } from '../support/factories.ts';

describe('persona material', () => {
  const material = loadMaterialLibrary();
  const slugs = new Set(loadPersonaLibrary().map((p) => p.slug));

  it('belongs to library personas and is never shared between two of them', () => {
    const owner = new Map<string, string>();
    for (const [slug, m] of Object.entries(material)) {
      expect(slugs.has(slug), slug).toBe(true);
      for (const item of [...m.advice, ...m.experience, ...m.mistakes]) {
        expect(owner.get(item.toLowerCase()), `${slug}: "${item}"`).toBeUndefined();
        owner.set(item.toLowerCase(), slug);
      }
    }
    expect(Object.keys(material).length).toBeGreaterThanOrEqual(60);
  });

  it('carries no statistic: figures only as the persona’s own experience', () => {
    for (const [slug, m] of Object.entries(material)) {
      for (const item of [...m.advice, ...m.mistakes])
        expect(item, slug).not.toMatch(/\d+\s?%|\bpercent\b|\bstudies\b/i);
      for (const item of m.experience) expect(item, slug).not.toMatch(/\d+\s?%/);
    }
  });

  it('falls back to a persona’s own vocabulary when the library has none for it', () => {
    const custom = personaFields({ vocabulary: ['kiln', 'glaze'] });
    const m = materialFor(custom);
    expect(m.advice.join(' ')).toContain('kiln');
    expect(m.mistakes.join(' ')).toContain('glaze');
  });
});
