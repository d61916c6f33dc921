import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRewards } from '../../src/learning/index.ts';
import { type Database, migrate } from '../../src/platform/db/index.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { personaFields } from '../support/factories.ts';
import { insertDraft } from '../support/publishing-fixtures.ts';

const HOUR = 3_600_000;
const NOW = new Date(Date.UTC(2026, 2, 10, 12));

/** A logged decision for a post, as the workflow records one. */
async function insertDecision(db: Database, postId: string, personaId: string, mode: string) {
  await db.query(
    `INSERT INTO learning_decisions (post_id, persona_id, choice, arm, probability, policy_version, mode, decided_at)
     VALUES ($1, $2, 'hook_pattern', 'number_list', 0.25, 'test', $3, now())`,
    [postId, personaId, mode],
  );
}

describe('rewards at the reward age', () => {
  let t: TestDatabase;
  let personaId: string;

  async function published(ageHours: number, snapshots: { atHours: number; views: number; likes: number }[]) {
    const post = await insertDraft(t.db, personaId);
    const publishedAt = new Date(NOW.getTime() - ageHours * HOUR);
    await t.db.query(`UPDATE posts SET status = 'published', published_at = $2, threads_media_id = $1 WHERE id = $1`, [
      post.id,
      publishedAt.toISOString(),
    ]);
    for (const s of snapshots) {
      await t.db.query(
        `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
         VALUES ($1, $2, $3, $4, 0, 0, 0, 0)`,
        [post.id, new Date(publishedAt.getTime() + s.atHours * HOUR).toISOString(), s.views, s.likes],
      );
    }
    return post.id;
  }

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    await migrate(t.db);
    personaId = (await insertPersona(t.db, personaFields(), 'user')).id;
  });
  afterAll(async () => t?.drop());

  it('rewards old posts at their 24-hour snapshot and leaves younger ones pending', async () => {
    const old = await published(30, [
      { atHours: 1, views: 100, likes: 1 },
      { atHours: 24, views: 1000, likes: 50 },
      { atHours: 30, views: 1200, likes: 90 },
    ]);
    const control = await published(26, [{ atHours: 24, views: 1000, likes: 100 }]);
    await insertDecision(t.db, control, personaId, 'control');
    const young = await published(10, [{ atHours: 1, views: 100, likes: 9 }]);
    // Old enough, but its 24-hour capture has not been taken yet: pending too, not a failure.
    const waiting = await published(25, [{ atHours: 23, views: 900, likes: 40 }]);

    expect(await computeRewards({ db: t.db, now: () => NOW, rewardAgeHours: 24 })).toBe(2);
    const rows = await t.db.query<{
      post_id: string;
      engagement_rate: number;
      baseline: number;
      reward: number;
      grp: string;
    }>(`SELECT post_id, engagement_rate, baseline, reward, grp FROM learning_rewards ORDER BY published_at`);
    expect(rows.map((r) => r.post_id)).toEqual([old, control]);
    // The first post is its own baseline; the second is measured against the first.
    expect(rows[0]).toMatchObject({ engagement_rate: 0.05, baseline: 0.05, reward: 0, grp: 'off' });
    expect(rows[1]!.grp).toBe('control');
    expect(rows[1]!.baseline).toBeCloseTo(0.05);
    expect(rows[1]!.reward).toBeCloseTo(Math.log(0.105 / 0.055));
    expect(rows.map((r) => r.post_id)).not.toContain(young);
    expect(rows.map((r) => r.post_id)).not.toContain(waiting);

    // A second run adds nothing until a pending post comes of age.
    expect(await computeRewards({ db: t.db, now: () => NOW, rewardAgeHours: 24 })).toBe(0);
    await t.db.query(
      `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
       SELECT id, published_at + interval '24 hours', 1000, 20, 0, 0, 0, 0 FROM posts WHERE id = $1`,
      [waiting],
    );
    expect(await computeRewards({ db: t.db, now: () => NOW, rewardAgeHours: 24 })).toBe(1);
  });
});
