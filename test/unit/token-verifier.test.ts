import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/auth/api-tokens.ts';
import { createTokenVerifier, TOKEN_CACHE_TTL_MS } from '../../src/auth/token-verifier.ts';
import type { Database } from '../../src/platform/db/index.ts';

/** A token table in memory that counts the look-ups, and a LISTEN subscription the test drives. */
function fakeDb() {
  const tokens = new Map<string, { id: string; revoked: boolean; expires_at: Date | null }>();
  let lookups = 0;
  let connected = true;
  let notify: ((payload: string | null) => void) | undefined;
  const db: Pick<Database, 'query' | 'listen'> = {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      if (sql.startsWith('UPDATE')) return [];
      lookups++;
      const row = tokens.get(params[0] as string);
      if (!row || row.revoked || (row.expires_at && row.expires_at <= (params[1] as Date))) return [];
      return [{ id: row.id, name: row.id, role: 'viewer', persona_ids: null, expires_at: row.expires_at }] as T[];
    },
    async listen(_channel, onNotify) {
      notify = onNotify;
      return { connected: () => connected, close: async () => {} };
    },
  };
  return {
    db,
    tokens,
    lookups: () => lookups,
    notify: (payload: string | null) => notify!(payload),
    setConnected: (up: boolean) => {
      connected = up;
    },
  };
}

async function setUp() {
  const fake = fakeDb();
  let monotonic = 0;
  let clock = new Date('2026-06-01T12:00:00Z');
  const verifier = createTokenVerifier({ db: fake.db, now: () => clock, monotonicMs: () => monotonic });
  fake.tokens.set(hashToken('ta_one'), { id: 'one', revoked: false, expires_at: new Date('2026-06-01T13:00:00Z') });
  // The subscription is taken when the verifier is made; let it settle.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    fake,
    verifier,
    tick: (ms: number) => {
      monotonic += ms;
    },
    setClock: (at: Date) => {
      clock = at;
    },
    revokeInTable: () => {
      fake.tokens.get(hashToken('ta_one'))!.revoked = true;
    },
  };
}

describe('token verifier cache', () => {
  it('asks the table once per TTL for a busy token, and again once it has passed', async () => {
    const { fake, verifier, tick } = await setUp();
    for (let i = 0; i < 20; i++) expect((await verifier.verify('ta_one'))?.tokenId).toBe('one');
    expect(fake.lookups()).toBe(1);
    tick(TOKEN_CACHE_TTL_MS + 1);
    await verifier.verify('ta_one');
    expect(fake.lookups()).toBe(2);
  });

  it('shares one look-up between requests that arrive while it runs', async () => {
    const { fake, verifier } = await setUp();
    const answers = await Promise.all(Array.from({ length: 10 }, () => verifier.verify('ta_one')));
    expect(answers.every((a) => a?.tokenId === 'one')).toBe(true);
    expect(fake.lookups()).toBe(1);
  });

  it('drops a token revoked in this process at once, and one revoked elsewhere on its notification', async () => {
    const local = await setUp();
    await local.verifier.verify('ta_one');
    local.revokeInTable();
    local.verifier.forget('one');
    expect(await local.verifier.verify('ta_one')).toBeNull();

    const remote = await setUp();
    await remote.verifier.verify('ta_one');
    remote.revokeInTable();
    // Until its notification arrives the cached verdict stands (within the TTL)...
    expect(await remote.verifier.verify('ta_one')).not.toBeNull();
    remote.fake.notify('one');
    expect(await remote.verifier.verify('ta_one')).toBeNull();
  });

  it('caches nothing while the subscription is down, and drops everything when it comes back', async () => {
    const { fake, verifier, revokeInTable } = await setUp();
    await verifier.verify('ta_one');
    fake.setConnected(false);
    await verifier.verify('ta_one');
    await verifier.verify('ta_one');
    expect(fake.lookups()).toBe(3);
    revokeInTable();
    expect(await verifier.verify('ta_one')).toBeNull();
    fake.setConnected(true);
    // The reconnection may have missed notifications: what was cached before is not trusted.
    fake.notify(null);
    expect(await verifier.verify('ta_one')).toBeNull();
  });

  it('does not cache what a look-up read if a revocation arrived while it ran', async () => {
    const { fake, verifier, revokeInTable } = await setUp();
    const pending = verifier.verify('ta_one');
    revokeInTable();
    fake.notify('one');
    await pending;
    expect(await verifier.verify('ta_one')).toBeNull();
  });

  it('refuses a cached token once its expiry passes, without waiting for the TTL', async () => {
    const { verifier, setClock } = await setUp();
    expect(await verifier.verify('ta_one')).not.toBeNull();
    setClock(new Date('2026-06-01T13:00:00Z'));
    expect(await verifier.verify('ta_one')).toBeNull();
  });
});
