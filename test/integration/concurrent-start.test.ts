import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/platform/db/migrate.ts';
import { loadPersonaLibrary } from '../../src/personas/library.ts';
import { insertLibraryPersonas } from '../../src/personas/persona.repository.ts';
import { ensureAdminToken } from '../../src/app/roles/bootstrap.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// Processes that start together (two workers, api replicas) each run the start-up steps on their own connection.
describe.runIf(process.env.DATABASE_URL)('processes starting together on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    await migrate(t.db);
  });
  afterAll(() => t?.drop());

  it('a starter that seeds while another is still seeding waits for it and adds nothing twice', async () => {
    const library = loadPersonaLibrary();
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstInserted!: () => void;
    const firstHasInserted = new Promise<void>((resolve) => (firstInserted = resolve));

    const first = t.db.transaction(async (tx) => {
      const added = await insertLibraryPersonas(tx, library);
      firstInserted();
      await firstMayCommit;
      return added;
    });
    await firstHasInserted;
    const second = insertLibraryPersonas(t.db, library);
    // Commit the first only once the second is blocked on its uncommitted rows: the race, made certain.
    await expect
      .poll(async () => {
        const [row] = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return row!.n;
      })
      .toBe(1);
    commitFirst();

    expect(await first).toBe(library.length);
    expect(await second).toBe(0);
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM personas');
    expect(row!.n).toBe(library.length);
  });

  it('API replicas starting together mint and print one first admin token between them', async () => {
    const printed: string[] = [];
    await Promise.all(Array.from({ length: 4 }, () => ensureAdminToken(t.db, undefined, (text) => printed.push(text))));
    expect(printed).toHaveLength(1);
    const [row] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens');
    expect(row!.n).toBe(1);
  });
});
