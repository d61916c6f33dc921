import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFollowers } from '../../src/insights/collect-followers.ts';
import { toIso } from '../../src/platform/db/rows.ts';
import { collectInsights } from '../../src/insights/collect-insights.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { createManualClock, startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { createThreadsClient } from '../../src/platform/threads/index.ts';
import { uniqueSlug } from '../support/factories.ts';
import { linkSimUser, simControl, type SimUser } from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const METRICS = ['views', 'likes', 'replies', 'reposts', 'quotes', 'shares'] as const;

type Totals = Record<(typeof METRICS)[number], number>;
interface SimPost {
  id: string;
  insights: Totals;
}
interface Snapshot extends Totals {
  captured_at: string;
  interactions: number;
  engagement_rate: number | null;
}
interface Series {
  post_id: string;
  collection: { next_due_at: string | null; stopped_at: string | null; stop_reason: string | null };
  data: Snapshot[];
}

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DATABASE_KINDS)('insights collection on %s', (kind) => {
  // Ten simulated days end a few hours before the wall clock, so the KPI endpoint (which reads the wall
  // clock) sees the posts of the last week of the simulation in its 7-day window.
  const t0 = Math.floor((Date.now() - 10 * DAY - 3 * HOUR) / HOUR) * HOUR;
  const clock = createManualClock(t0);
  let sim: RunningSimulator;
  let t: TestApp;
  const threads = () => createThreadsClient({ baseUrl: sim.url });

  beforeAll(async () => {
    sim = await startThreadsSimulator({
      seed: 7,
      appId: 'sim-app',
      appSecret: 'sim-secret',
      clock,
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp(kind, {
      worker: false,
      env: { THREADS_API_BASE_URL: sim.url, TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32) },
      overrides: { now: () => new Date(clock.now()) },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const simAdmin = <T>(path: string, body?: unknown) => simControl<T>(sim.url, path, body);

  async function linkedPersona(user?: SimUser): Promise<{ persona: Persona; user: SimUser; accountId: string }> {
    const persona = await t.createPersona();
    const simUser =
      user ??
      (await simAdmin<SimUser>('users', {
        username: uniqueSlug('u').replaceAll('-', '_'),
        followers: 1000,
        profile: { niche: persona.niche, topics: persona.topics, vocabulary: persona.vocabulary },
      }));
    const account = await linkSimUser(t.deps, persona.id, simUser);
    return { persona, user: simUser, accountId: account.id };
  }

  /** Publishes in the simulator at the clock's time and stores the post as the publisher would have. */
  async function publish(persona: Persona, user: SimUser, text: string, mediaId?: string): Promise<string> {
    const id =
      mediaId ??
      (
        await threads().createContainer({
          userId: user.user_id,
          accessToken: user.access_token,
          text,
          autoPublishText: true,
        })
      ).id;
    const [row] = await t.deps.db.query<{ id: string }>(
      `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id, threads_account_id)
       VALUES ($1, 'published', 'number_list', $2, '', $2, $3, $4,
               (SELECT id FROM threads_accounts WHERE persona_id = $1 AND status <> 'unlinked')) RETURNING id`,
      [persona.id, text, iso(clock.now()), id],
    );
    return row!.id;
  }

  const series = async (postId: string): Promise<Series> => {
    const res = await t.api(`/v1/posts/${postId}/insights`);
    expect(res.status).toBe(200);
    return (await res.json()) as Series;
  };

  const accountStatus = async (accountId: string) =>
    (
      await t.deps.db.query<{ status: string; status_reason: string | null }>(
        'SELECT status, status_reason FROM threads_accounts WHERE id = $1',
        [accountId],
      )
    )[0]!;

  const textFor = (n: number) =>
    `${n} pricing experiments that cut churn for indie SaaS:\n1. Annual plan on the pricing page\n2. Trial emails by cohort\nWhich one would you test first?`;

  it('follows the cadence for ten simulated days, stores what Threads reports, pauses a refused account and feeds the KPIs', async () => {
    const a = await linkedPersona();
    // A Threads account whose token Threads does not accept (revoked, say).
    const refused = await linkedPersona({
      user_id: '17841400999999999',
      username: 'refused',
      access_token: 'THQWJrevokedtoken0000',
    });

    const posts: Record<string, { id: string; mediaId: string; publishedAt: number }> = {};
    const publishAs = async (name: string, mediaId?: string) => {
      const id = await publish(a.persona, a.user, textFor(Object.keys(posts).length + 3), mediaId);
      const [row] = await t.deps.db.query<{ threads_media_id: string }>(
        'SELECT threads_media_id FROM posts WHERE id = $1',
        [id],
      );
      posts[name] = { id, mediaId: row!.threads_media_id, publishedAt: clock.now() };
    };
    await publishAs('p1');
    await publish(refused.persona, a.user, 'Posted by the account Threads no longer accepts.', '1805000000000000001');
    await publishAs('gone', '1805999999999999999'); // never existed, as a post deleted on Threads reads
    clock.advance(25 * MINUTE);
    await publishAs('p2'); // off the hour: its slots fall between runs

    const followersByDay = new Map<string, { at: number; count: number }>();
    let compared = 0;
    let transientSkipped = false;
    for (let hour = 1; hour <= 240; hour++) {
      clock.advance(hour === 1 ? 35 * MINUTE : HOUR);
      const now = clock.now();
      if (hour === 3 * 24 + 7 - 1) await publishAs('p3');
      if (hour === 5 * 24) await publishAs('p4');
      // At 54 h only p1 is due (its 6-hour slot): a passing failure leaves it to the next run.
      if (hour === 54) await simAdmin('faults', { endpoint: 'media_insights', preset: 'transient' });

      const run = await collectInsights(t.deps);
      if (hour === 54) {
        expect(run).toMatchObject({ claimed: 1, captured: 0, skipped: 1 });
        transientSkipped = true;
      }
      await collectFollowers(t.deps);

      const captured = await t.deps.db.query<Totals & { post_id: string; threads_media_id: string }>(
        `SELECT s.post_id, p.threads_media_id, s.views, s.likes, s.replies, s.reposts, s.quotes, s.shares
           FROM post_insight_snapshots s JOIN posts p ON p.id = s.post_id WHERE s.captured_at = $1 AND p.persona_id = $2`,
        [iso(now), a.persona.id],
      );
      if (captured.length > 0) {
        const inSim = new Map(
          (await simAdmin<{ data: SimPost[] }>(`users/${a.user.user_id}/posts`)).data.map((p) => [p.id, p.insights]),
        );
        for (const row of captured) {
          const expected = inSim.get(row.threads_media_id)!;
          for (const m of METRICS)
            expect(Number(row[m]), `${m} of ${row.threads_media_id} at ${iso(now)}`).toBe(expected[m]);
          compared += 1;
        }
      }
      const state = await simAdmin<{ users: { id: string; followers_count: number }[] }>('state');
      followersByDay.set(iso(now).slice(0, 10), {
        at: now,
        count: state.users.find((u) => u.id === a.user.user_id)!.followers_count,
      });
    }
    expect(transientSkipped).toBe(true);
    expect(compared).toBeGreaterThan(150);

    // Snapshots per post = the cadence's slots up to its age at the last run (t0 + 240 h).
    const end = clock.now();
    const expectedCounts = {
      p1: 24 + 24 + 3, // 240 h: hourly to 24 h, 6-hourly to 168 h, then days 8, 9 and 10
      p2: 24 + 24 + 2, // 239 h 35 min: day 10 not reached
      p3: 24 + 23, // 162 h (published at 78 h): 6-hourly slots 30 h … 162 h
      p4: 24 + 16, // 120 h: 6-hourly slots 30 h … 120 h
    };
    expect((end - posts.p3!.publishedAt) / HOUR).toBe(162);
    for (const [name, count] of Object.entries(expectedCounts)) {
      const s = await series(posts[name]!.id);
      expect(s.data, name).toHaveLength(count);
      const views = s.data.map((d) => d.views);
      expect(views, `${name} views never go down`).toEqual([...views].sort((x, y) => x - y));
      expect(views.at(-1)!, `${name} views grow`).toBeGreaterThan(views[0]!);
      expect(s.collection.stop_reason).toBeNull();
    }
    // p2's slots (1 h, 2 h … after 00:25) are taken by the next hourly run; the transient failure moved p1's 54 h capture to 55 h.
    const p2 = await series(posts.p2!.id);
    expect(p2.data.slice(0, 2).map((d) => d.captured_at)).toEqual([iso(t0 + 2 * HOUR), iso(t0 + 3 * HOUR)]);
    const p1 = await series(posts.p1!.id);
    const p1Times = p1.data.map((d) => d.captured_at);
    expect(p1Times).toContain(iso(t0 + 55 * HOUR));
    expect(p1Times).not.toContain(iso(t0 + 54 * HOUR));
    expect(p1Times.slice(-3)).toEqual([iso(t0 + 8 * DAY), iso(t0 + 9 * DAY), iso(t0 + 10 * DAY)]);
    expect(p1.collection.next_due_at).toBe(iso(t0 + 11 * DAY));

    // The post's view carries its latest snapshot, with the engagement rate the KPIs use.
    const postRes = await t.api(`/v1/posts/${posts.p1!.id}`);
    const post = (await postRes.json()) as { insights: Snapshot };
    const latest = p1.data.at(-1)!;
    expect(post.insights).toEqual(latest);
    expect(latest.interactions).toBe(latest.likes + latest.replies + latest.reposts + latest.quotes + latest.shares);
    expect(latest.engagement_rate).toBeCloseTo(latest.interactions / latest.views, 12);

    // Media gone: asked once, then never again.
    const gone = await series(posts.gone!.id);
    expect(gone).toMatchObject({ data: [], collection: { stop_reason: 'media_gone', next_due_at: null } });
    expect(((await (await t.api(`/v1/posts/${posts.gone!.id}`)).json()) as { insights: unknown }).insights).toBeNull();
    expect((await t.api('/v1/posts/00000000-0000-4000-8000-000000000000/insights')).status).toBe(404);

    // The refused token paused its account on the first due run; its post waits, untouched.
    const paused = await accountStatus(refused.accountId);
    expect(paused.status).toBe('paused');
    expect(paused.status_reason).toMatch(/collecting insights/);
    const refusedRows = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM post_insight_snapshots s JOIN posts p ON p.id = s.post_id WHERE p.persona_id = $1`,
      [refused.persona.id],
    );
    expect(refusedRows[0]!.n).toBe(0);
    expect((await accountStatus(a.accountId)).status).toBe('active');

    // One follower row per UTC day, holding that day's last count.
    const followerRows = await t.deps.db.query<{ captured_on: string; captured_at: unknown; followers_count: number }>(
      `SELECT captured_on::text AS captured_on, captured_at, followers_count FROM follower_snapshots WHERE account_id = $1 ORDER BY captured_on`,
      [a.accountId],
    );
    expect(followerRows.map((r) => r.captured_on)).toEqual([...followersByDay.keys()]);
    for (const row of followerRows) {
      const last = followersByDay.get(row.captured_on)!;
      expect(toIso(row.captured_at)).toBe(iso(last.at));
      expect(row.followers_count).toBe(last.count);
    }
    expect(followerRows.at(-1)!.followers_count).toBeGreaterThan(1000 * 0.95);
    const refusedFollowers = await t.deps.db.query('SELECT 1 FROM follower_snapshots WHERE account_id = $1', [
      refused.accountId,
    ]);
    expect(refusedFollowers).toHaveLength(0);

    // The KPI: the last 7 days' posts (p3, p4) by their latest snapshots.
    const kpis = (await (await t.api(`/v1/kpis?persona=${a.persona.slug}`)).json()) as {
      kpis: { engagement: { rate: number | null; posts: number; views: number; interactions: number } };
    };
    const recent = [(await series(posts.p3!.id)).data.at(-1)!, (await series(posts.p4!.id)).data.at(-1)!];
    const views = recent.reduce((sum, s) => sum + s.views, 0);
    const interactions = recent.reduce((sum, s) => sum + s.interactions, 0);
    expect(kpis.kpis.engagement).toMatchObject({ posts: 2, views, interactions });
    expect(kpis.kpis.engagement.rate).not.toBeNull();
    expect(kpis.kpis.engagement.rate).toBeCloseTo(interactions / views, 12);

    // Day 30 is the last capture; a day later the refused account's post leaves the collection too.
    clock.advance(t0 + 30 * DAY + 30 * MINUTE - clock.now());
    await collectInsights(t.deps);
    for (const name of ['p1', 'p2']) {
      const s = await series(posts[name]!.id);
      expect(s.data, name).toHaveLength(expectedCounts[name as 'p1' | 'p2'] + 1);
      expect(s.collection).toMatchObject({ next_due_at: null, stop_reason: 'complete' });
    }
    clock.advance(DAY + HOUR);
    const last = await collectInsights(t.deps);
    expect(last.expired).toBe(1);
    expect((await series(posts.p1!.id)).data).toHaveLength(expectedCounts.p1 + 1);
  });

  it("reads a post's insights only with the account it went out on", async () => {
    const a = await linkedPersona();
    const postId = await publish(a.persona, a.user, textFor(7));
    const relink = (user: SimUser) => linkSimUser(t.deps, a.persona.id, user);
    // The persona moves to another Threads user: the post stays on the first one's profile.
    await relink(await simAdmin<SimUser>('users', { username: uniqueSlug('u').replaceAll('-', '_') }));
    clock.advance(2 * HOUR);
    await collectInsights(t.deps);
    expect((await series(postId)).data).toHaveLength(0);

    await relink({
      ...a.user,
      access_token: (await simAdmin<SimUser>(`users/${a.user.user_id}/tokens`, {})).access_token,
    });
    await collectInsights(t.deps);
    expect((await series(postId)).data).toHaveLength(1);
  });

  it('takes the most overdue posts first, at most the bound per run, and the rest on the next run', async () => {
    // Only this test's posts are due.
    await t.deps.db.query(
      `UPDATE threads_accounts SET status = 'paused', status_reason = 'not part of this test' WHERE status = 'active'`,
    );
    const accounts = await Promise.all([linkedPersona(), linkedPersona(), linkedPersona()]);
    const ids: string[] = [];
    for (let i = 0; i < 240; i++) {
      const { persona, user } = accounts[i % accounts.length]!;
      ids.push(await publish(persona, user, `${i} onboarding emails that lift activation: number ${i}`));
      if (i % 80 === 79) clock.advance(HOUR);
    }
    clock.advance(2 * HOUR);
    const first = await collectInsights(t.deps, 100);
    expect(first).toMatchObject({ claimed: 100, captured: 100 });
    const captured = new Set(
      (
        await t.deps.db.query<{ post_id: string }>(
          'SELECT post_id FROM post_insight_snapshots WHERE post_id = ANY($1::uuid[])',
          [ids],
        )
      ).map((r) => r.post_id),
    );
    // Published an hour apart in batches of 80: all of the first batch, 20 of the second, none of the third.
    expect(captured.size).toBe(100);
    expect(ids.slice(0, 80).every((id) => captured.has(id))).toBe(true);
    expect(ids.slice(80, 160).filter((id) => captured.has(id))).toHaveLength(20);
    expect(ids.slice(160).some((id) => captured.has(id))).toBe(false);
    const started = performance.now();
    const second = await collectInsights(t.deps, 500);
    const ms = performance.now() - started;
    expect(second).toMatchObject({ claimed: 140, captured: 140 });
    expect(await collectInsights(t.deps)).toMatchObject({ claimed: 0 });
    console.log(`[insights] ${kind}: one run captured 140 posts of 3 accounts in ${Math.round(ms)} ms`);
  });
});
