import { type Queryable, toIso } from '../platform/db/index.ts';
import type { Persona, PersonaFields } from './persona.schema.ts';

const JSON_FIELDS = ['topics', 'vocabulary', 'banned_words', 'banned_topics', 'hook_patterns'] as const;
const COLUMNS = `id, slug, name, niche, audience, voice, tone, topics, vocabulary, banned_words, banned_topics,
  hook_patterns, hook_model, body_model, daily_budget_usd::float8 AS daily_budget_usd, approval_mode,
  auto_approve_min_score::float8 AS auto_approve_min_score, autopilot, learning_mode, source, created_at, updated_at`;

function toPersona(row: Record<string, unknown>): Persona {
  return {
    ...(row as unknown as Persona),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

function values(fields: PersonaFields): unknown[] {
  return [
    fields.slug,
    fields.name,
    fields.niche,
    fields.audience,
    fields.voice,
    fields.tone,
    ...JSON_FIELDS.map((key) => JSON.stringify(fields[key])),
    fields.hook_model,
    fields.body_model,
    fields.daily_budget_usd,
    fields.approval_mode,
    fields.auto_approve_min_score,
    fields.autopilot === null ? null : JSON.stringify(fields.autopilot),
    fields.learning_mode,
  ];
}

export async function insertPersona(q: Queryable, fields: PersonaFields, source: Persona['source']): Promise<Persona> {
  const [row] = await q.query(
    `INSERT INTO personas (slug, name, niche, audience, voice, tone, topics, vocabulary, banned_words,
       banned_topics, hook_patterns, hook_model, body_model, daily_budget_usd, approval_mode, auto_approve_min_score,
       autopilot, learning_mode, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING ${COLUMNS}`,
    [...values(fields), source],
  );
  return toPersona(row!);
}

/**
 * Adds the library personas that are not there yet, in one statement; returns how many were added.
 * ON CONFLICT covers processes starting together: the second waits for the first and skips its rows.
 */
export async function insertLibraryPersonas(q: Queryable, library: PersonaFields[]): Promise<number> {
  const rows = await q.query(
    `INSERT INTO personas (slug, name, niche, audience, voice, tone, topics, vocabulary, banned_words,
       banned_topics, hook_patterns, source)
     SELECT p.slug, p.name, p.niche, p.audience, p.voice, p.tone, p.topics, p.vocabulary, p.banned_words,
       p.banned_topics, p.hook_patterns, 'library'
       FROM jsonb_to_recordset($1::jsonb) AS p(slug text, name text, niche text, audience text, voice text,
         tone text, topics jsonb, vocabulary jsonb, banned_words jsonb, banned_topics jsonb, hook_patterns jsonb)
      WHERE NOT EXISTS (SELECT 1 FROM personas existing WHERE existing.slug = p.slug)
     ON CONFLICT (slug) WHERE deleted_at IS NULL DO NOTHING
     RETURNING id`,
    [JSON.stringify(library)],
  );
  return rows.length;
}

export async function findPersonaById(q: Queryable, id: string): Promise<Persona | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM personas WHERE id = $1 AND deleted_at IS NULL`, [id]);
  return row ? toPersona(row) : null;
}

export const PERSONA_SORTS = ['slug', 'name', 'niche', 'created_at', 'updated_at'] as const;
export type PersonaSort = (typeof PERSONA_SORTS)[number];

/**
 * Each sort's key as migration 018 indexes it. Text sorts compare bytes (COLLATE "C") of the lower-cased
 * value, so the order is the same on every server whatever its locale, and a cursor's key compares as
 * the ORDER BY does.
 */
const SORT_KEYS: Record<PersonaSort, { key: string; cast: string }> = {
  slug: { key: '(slug COLLATE "C")', cast: 'text COLLATE "C"' },
  name: { key: '(lower(name) COLLATE "C")', cast: 'text COLLATE "C"' },
  niche: { key: '(lower(niche) COLLATE "C")', cast: 'text COLLATE "C"' },
  created_at: { key: 'created_at', cast: 'timestamptz' },
  updated_at: { key: 'updated_at', cast: 'timestamptz' },
};

export interface PersonaListQuery {
  sort: PersonaSort;
  order: 'asc' | 'desc';
  /** Case-insensitive substring of the slug, name, niche or a topic. */
  q?: string;
  approval_mode?: Persona['approval_mode'];
  source?: Persona['source'];
  learning_mode?: Persona['learning_mode'];
  limit: number;
  /** The last row of the previous page: its sort key as text and its id. */
  after?: { key: string; id: string };
}

/** `limit + 1` personas in the asked order, each with its `cursor_key`, so the caller knows if a next page exists. */
export async function listPersonas(
  q: Queryable,
  query: PersonaListQuery,
): Promise<(Persona & { cursor_key: string })[]> {
  const { key, cast } = SORT_KEYS[query.sort];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['deleted_at IS NULL'];
  if (query.q)
    where.push(
      `strpos(lower(slug || ' ' || name || ' ' || niche || ' ' || topics::text), lower(${param(query.q)})) > 0`,
    );
  for (const column of ['approval_mode', 'source', 'learning_mode'] as const)
    if (query[column]) where.push(`${column} = ${param(query[column])}`);
  if (query.after)
    where.push(
      `(${key}, id) ${query.order === 'asc' ? '>' : '<'} (${param(query.after.key)}::${cast}, ${param(query.after.id)}::uuid)`,
    );
  const rows = await q.query(
    `SELECT ${COLUMNS}, ${key}::text AS cursor_key FROM personas WHERE ${where.join(' AND ')}
      ORDER BY ${key} ${query.order}, id ${query.order} LIMIT ${param(query.limit + 1)}`,
    params,
  );
  return rows.map((row) => ({ ...toPersona(row), cursor_key: String(row.cursor_key) }));
}

export async function updatePersona(q: Queryable, id: string, fields: PersonaFields): Promise<Persona | null> {
  const [row] = await q.query(
    `UPDATE personas SET slug = $1, name = $2, niche = $3, audience = $4, voice = $5, tone = $6, topics = $7,
       vocabulary = $8, banned_words = $9, banned_topics = $10, hook_patterns = $11, hook_model = $12,
       body_model = $13, daily_budget_usd = $14, approval_mode = $15, auto_approve_min_score = $16, autopilot = $17,
       learning_mode = $18, updated_at = now()
     WHERE id = $19 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
    [...values(fields), id],
  );
  return row ? toPersona(row) : null;
}

export async function softDeletePersona(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE personas SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

export async function findPersonaBySlug(q: Queryable, slug: string): Promise<Persona | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM personas WHERE slug = $1 AND deleted_at IS NULL`, [slug]);
  return row ? toPersona(row) : null;
}

/** Personas on autopilot, for the autopilot tick. */
export async function listAutopilotPersonas(q: Queryable): Promise<Persona[]> {
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM personas WHERE deleted_at IS NULL AND autopilot IS NOT NULL ORDER BY slug`,
  );
  return rows.map(toPersona);
}

/** Every live persona, for the learning report (a few hundred at most). */
export async function listAllPersonas(q: Queryable): Promise<Persona[]> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM personas WHERE deleted_at IS NULL ORDER BY slug`);
  return rows.map(toPersona);
}
