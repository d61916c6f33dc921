import { readFileSync } from 'node:fs';
import { personaFieldsSchema, type PersonaFields } from './persona.schema.ts';

export function loadPersonaLibrary(): PersonaFields[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./library/personas.json', import.meta.url), 'utf8'));
  if (!Array.isArray(raw)) throw new Error('persona library: personas.json must contain a JSON array');

  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const result = personaFieldsSchema.safeParse(entry);
    if (!result.success) {
      const slug = (entry as { slug?: unknown } | null)?.slug;
      throw new Error(
        `persona library: entry ${index} (${String(slug ?? 'no slug')}) is invalid: ${result.error.message}`,
      );
    }
    if (seen.has(result.data.slug)) {
      throw new Error(`persona library: entry ${index} (${result.data.slug}) duplicates an earlier slug`);
    }
    seen.add(result.data.slug);
    return result.data;
  });
}
