import { batchedRead, type Database, type Queryable, isUniqueViolation } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { decodeKeysetCursor, splitKeysetPage } from '../platform/page-cursor.ts';
import {
  findPersonaById,
  insertPersona,
  listPersonas,
  type PersonaListQuery,
  softDeletePersona,
  updatePersona,
} from './persona.repository.ts';
import { personaFieldsSchema, type Persona, type PersonaFields } from './persona.schema.ts';

/** What other domains do, in the deleting transaction, when a persona is deleted. */
export type OnPersonaDeleted = (tx: Queryable, personaId: string) => Promise<unknown>;

/** The listing a cursor belongs to, as a query string a person can read in the 400 that names it. */
function viewOf(listing: Omit<PersonaListQuery, 'after' | 'limit'>): string {
  const { sort, order, ...filters } = listing;
  const named = Object.entries(filters).filter(([, value]) => value !== undefined);
  return new URLSearchParams([
    ['sort', sort],
    ['order', order],
    ...named.sort(([a], [b]) => (a < b ? -1 : 1)),
  ]).toString();
}

export function createPersonasService(deps: { db: Database; onDelete?: readonly OnPersonaDeleted[] }) {
  const { db } = deps;
  // The dashboard's and clients' most repeated listing: identical requests at the same time share one statement.
  const keyOf = (query: PersonaListQuery) => JSON.stringify(query);
  const listShared = batchedRead(
    async (queries: PersonaListQuery[]) =>
      new Map(await Promise.all(queries.map(async (query) => [keyOf(query), await listPersonas(db, query)] as const))),
    keyOf,
  );

  async function getPersona(id: string): Promise<Persona> {
    const persona = await findPersonaById(db, id);
    if (!persona) throw new AppError('not_found', `persona ${id} does not exist`);
    return persona;
  }

  async function createPersona(fields: PersonaFields): Promise<Persona> {
    try {
      return await insertPersona(db, fields, 'user');
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `a persona with slug "${fields.slug}" already exists`);
      throw error;
    }
  }

  async function patchPersona(id: string, patch: Partial<PersonaFields>): Promise<Persona> {
    const current = await getPersona(id);
    const { id: _id, source: _source, created_at: _c, updated_at: _u, ...fields } = current;
    const merged = personaFieldsSchema.parse({ ...fields, ...patch });
    try {
      const updated = await updatePersona(db, id, merged);
      if (!updated) throw new AppError('not_found', `persona ${id} does not exist`);
      return updated;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `a persona with slug "${merged.slug}" already exists`);
      throw error;
    }
  }

  /**
   * Soft-deletes the persona and runs the other domains' hooks in the same transaction (the composition
   * root passes them: its account is unlinked, its unpublished posts withdrawn). What it published stays.
   */
  async function deletePersona(id: string): Promise<void> {
    const deleted = await db.transaction(async (tx) => {
      if (!(await softDeletePersona(tx, id))) return false;
      for (const hook of deps.onDelete ?? []) await hook(tx, id);
      return true;
    });
    if (!deleted) throw new AppError('not_found', `persona ${id} does not exist`);
  }

  async function listPage(query: Omit<PersonaListQuery, 'after'> & { cursor?: string }) {
    const { cursor, limit, ...listing } = query;
    const view = viewOf(listing);
    const after = cursor ? decodeKeysetCursor(cursor, view) : undefined;
    const rows = (await listShared({ ...query, after }))!;
    const { page, next_cursor } = splitKeysetPage(rows, limit, view);
    return { data: page, next_cursor };
  }

  return { getPersona, createPersona, patchPersona, deletePersona, listPage };
}

export type PersonasService = ReturnType<typeof createPersonasService>;
