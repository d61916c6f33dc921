import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountSeedOf,
  createManualClock,
  engagementRate,
  judgePost,
  startThreadsSimulator,
  type RunningSimulator,
} from '../../src/sim/index.ts';
import { createThreadsClient, type ThreadsClient } from '../../src/platform/threads/index.ts';

const SEED = 4242;
const HOUR = 3_600_000;
const PROFILE = { niche: 'indie SaaS', topics: ['churn from expired cards'], vocabulary: ['MRR', 'dunning emails'] };
const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
let sim: RunningSimulator;
let client: ThreadsClient;

async function call(path: string, init?: RequestInit): Promise<{ status: number; body: any; raw: string }> {
  const res = await fetch(`${sim.url}${path}`, init);
  const raw = await res.text();
  return { status: res.status, body: JSON.parse(raw), raw };
}
const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  sim = await startThreadsSimulator({
    seed: SEED,
    appId: 'app',
    appSecret: 'secret',
    clock,
    port: 0,
    host: '127.0.0.1',
    containerReadyMs: 0,
  });
  client = createThreadsClient({ baseUrl: sim.url });
});
afterAll(() => sim.close());

describe('the hidden audience taste', () => {
  it('judges HTTP posts with the same judgePost the benchmarks call, fatigue and followers included', async () => {
    const account = (await post('/__sim/users', { followers: 900, profile: PROFILE })).body;
    const auth = { userId: account.user_id, accessToken: account.access_token };
    const texts = [
      'Why do trials stall on day two?\nWe looked at 300 of them.\nWhat do you see?',
      '38% of our churn came from expired cards.\nDunning emails fixed most of it.',
      'Why do annual plans churn less?\nThey pay once.\nWould you switch?',
    ];
    const publishedAt: number[] = [];
    for (const text of texts) {
      publishedAt.push(clock.now());
      await client.createContainer({ ...auth, text, autoPublishText: true });
      clock.advance(5 * HOUR);
    }
    const posts = (await call(`/__sim/users/${account.user_id}/posts`)).body.data.reverse() as {
      id: string;
      text: string;
      plan: any;
    }[];
    expect(posts.map((p) => p.text)).toEqual(texts);
    for (const [i, p] of posts.entries()) {
      const direct = judgePost({
        accountSeed: accountSeedOf(SEED, account.user_id),
        profile: PROFILE,
        text: p.text,
        publishedAt: publishedAt[i]!,
        // Followers and the noise seed move views and counts, not the verdict compared here.
        followers: 900,
        recentTexts: texts.slice(0, i).reverse(),
        seed: 0,
      });
      expect(p.plan.lift).toBeCloseTo(direct.lift, 12);
      expect(p.plan.parts).toEqual(direct.parts);
      expect(p.plan.expectedRate).toBeCloseTo(direct.expectedRate, 12);
    }
    // The third post repeats the first one's opening form, two posts back: the audience is a little tired of it.
    expect(posts[2]!.plan.parts.fatigue).toBeLessThan(0);
    expect(posts[1]!.plan.parts.fatigue).toBe(0);
  });

  it('is readable only under /__sim/, at any time, and no Graph response carries it', async () => {
    const account = (await post('/__sim/users', { followers: 500, profile: PROFILE })).body;
    const now = await call(`/__sim/users/${account.user_id}/taste`);
    expect(now.status).toBe(200);
    expect(Object.keys(now.body.taste.openings)).toHaveLength(9);
    expect(now.body.at_ms).toBe(clock.now());
    const later = await call(`/__sim/users/${account.user_id}/taste?at=2026-04-01T00:00:00Z`);
    expect(later.body.at_ms).toBe(Date.parse('2026-04-01T00:00:00Z'));
    expect(later.body.taste.openings).not.toEqual(now.body.taste.openings);
    expect(later.body.taste.loved).toBe(now.body.taste.loved);

    const bad = await call(`/__sim/users/${account.user_id}/taste?at=next-tuesday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^at: /);
    expect((await call('/__sim/users/17841400000000001/taste')).status).toBe(400);

    const auth = { userId: account.user_id, accessToken: account.access_token };
    const { id } = await client.createContainer({
      ...auth,
      text: 'How to stop churn from expired cards.\nEmail early.',
      autoPublishText: true,
    });
    clock.advance(30 * HOUR);
    const token = `access_token=${account.access_token}`;
    const graph = await Promise.all([
      call(`/v1.0/me?fields=id,username,name,threads_biography&${token}`),
      call(`/v1.0/${id}?fields=id,text,timestamp,permalink,media_type&${token}`),
      call(`/v1.0/me/threads?fields=id,text,timestamp&${token}`),
      call(`/v1.0/${id}/insights?metric=views,likes,replies,reposts,quotes,shares&${token}`),
      call(`/v1.0/me/threads_insights?metric=views,likes,followers_count&${token}`),
    ]);
    for (const r of graph) {
      expect(r.status).toBe(200);
      for (const secret of ['openings', 'loved', 'peakChars', 'lift', 'expectedRate', 'plan', 'taste', 'fatigue'])
        expect(r.raw).not.toContain(secret);
    }
    const insights = await client.getMediaInsights({ mediaId: id, accessToken: account.access_token });
    expect(insights.views).toBeGreaterThan(0);
    expect(engagementRate(insights)).toBeGreaterThan(0);
  });
});
