import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, createTokenVerifier } from '../../src/auth/api-tokens.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPgliteDatabase } from '../../src/platform/db/pglite-database.ts';

describe('verified API tokens are cached briefly by hash', () => {
  let db: Database;
  let lookups = 0;
  let clock = 0;
  beforeAll(async () => {
    db = await createPgliteDatabase();
    await migrate(db);
  });
  afterAll(() => db.close());

  const counted = () => ({
    query: <T>(sql: string, params?: unknown[]) => {
      if (sql.includes('api_tokens')) lookups += 1;
      return db.query<T>(sql, params);
    },
    exec: (sql: string) => db.exec(sql),
  });

  it('asks the database once per TTL for a good token, every time for a bad one, and honours forget', async () => {
    const token = await createApiToken(db, 'cache');
    const verify = createTokenVerifier({ db: counted(), cacheTtlMs: 1000, now: () => clock });
    lookups = 0;
    for (let i = 0; i < 5; i++) expect(await verify(token)).toBe(true);
    expect(lookups).toBe(1);

    for (let i = 0; i < 3; i++) expect(await verify('ta_never-issued')).toBe(false);
    expect(lookups).toBe(4);

    // Revoked in the table: still trusted until the entry expires, refused after.
    await db.query('DELETE FROM api_tokens');
    clock = 999;
    expect(await verify(token)).toBe(true);
    clock = 1001;
    expect(await verify(token)).toBe(false);

    const again = await createApiToken(db, 'cache-2');
    expect(await verify(again)).toBe(true);
    await db.query('DELETE FROM api_tokens');
    verify.forget(again);
    expect(await verify(again)).toBe(false);
  });
});
