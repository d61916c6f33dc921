import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkAccount } from '../../src/accounts/index.ts';
import { upsertFollowerSnapshot } from '../../src/insights/index.ts';
import { computeKpis } from '../../src/kpis/index.ts';
import { openTestServices, type TestServices } from '../support/test-services.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const HOUR = 3_600_000;

describe.each(DATABASE_KINDS)('follower growth from the moment an account is linked, on %s', (kind) => {
  let t: TestServices;
  beforeAll(async () => {
    t = await openTestServices(kind, { env: { TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32) } });
  });
  afterAll(() => t?.close());

  it('counts the followers gained since the link on its first day, so cost per follow appears', async () => {
    const persona = await t.createPersona();
    // Linked in the morning (UTC); captured at once, then by the hourly run the same day.
    const day = new Date();
    day.setUTCHours(1, 0, 0, 0);
    const linkedAt = new Date(day.getTime() - 24 * HOUR + 2 * HOUR);
    const account = await linkAccount(t.db, t.vault, {
      personaId: persona.id,
      threadsUserId: `u-${persona.id.slice(0, 8)}`,
      username: 'baseline',
      accessToken: 'token-for-baseline-test',
      tokenExpiresAt: null,
      scopes: [],
      obtainedAt: linkedAt,
    });
    const capture = (at: Date, followersCount: number) =>
      upsertFollowerSnapshot(t.db, { accountId: account.id, personaId: persona.id, capturedAt: at, followersCount });
    await capture(linkedAt, 1000);
    await capture(new Date(linkedAt.getTime() + 3 * HOUR), 1040);
    await capture(new Date(linkedAt.getTime() + 9 * HOUR), 1100);
    await t.db.query(
      `INSERT INTO llm_calls (provider, model, service, persona_id, prompt_tokens, completion_tokens, cost_usd,
         cache_hit, priced, latency_ms, outcome, created_at)
       VALUES ('openai-compatible', 'gpt-4o-mini', 'body', $1, 10, 10, 0.5, false, true, 5, 'ok', $2)`,
      [persona.id, new Date(linkedAt.getTime() + HOUR)],
    );

    const report = await computeKpis(t.db, { now: new Date(linkedAt.getTime() + 10 * HOUR) });
    const kpis = report.personas.find((p) => p.persona === persona.slug)!;
    expect(kpis.net_new_followers).toBe(100);
    expect(kpis.followers_total).toBe(1100);
    expect(kpis.cost_per_follow).toBeCloseTo(0.005, 6);
  });
});
