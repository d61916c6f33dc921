import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSimulatorAccounts } from '../../src/app/roles/link-simulator-accounts.ts';
import { createScaledClock } from '../../src/platform/scaled-clock.ts';
import { startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { waitFor } from '../support/child-process.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** An hour of product time per wall second. */
const SCALE = 3600;

interface LearningReport {
  rewards: { rewarded: number; pending: number };
  lift: {
    ratio: number | null;
    lower: number | null;
    upper: number | null;
    learned_posts: number;
    control_posts: number;
  };
  choices: { choice: string; arms: { arm: string; pulls: number; probability: number }[] }[];
}

/**
 * The whole loop on its own, as a user would run it: two personas on autopilot, the product's clock
 * and the simulator's at TIME_SCALE, the worker's periodic jobs sent through the real queue by the
 * time-scale ticker; autopilot slots → generation with the learning policy → auto-approval →
 * publishing → insights → rewards → lift. Nothing here calls a job handler directly.
 */
describe('autopilot and learning on the simulator with a time scale', () => {
  const now = createScaledClock(SCALE);
  let sim: RunningSimulator;
  let t: TestApp;
  const personaIds: string[] = [];
  let report: LearningReport;

  beforeAll(async () => {
    sim = await startThreadsSimulator({
      seed: 9,
      appId: 'learning-app',
      appSecret: 'learning-secret',
      clock: { now: () => now().getTime() },
      containerReadyMs: 0,
      port: 0,
      host: '127.0.0.1',
    });
    t = await startTestApp('pglite', {
      env: {
        THREADS_API_BASE_URL: sim.url,
        THREADS_APP_ID: 'learning-app',
        THREADS_APP_SECRET: 'learning-secret',
        TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32),
        TIME_SCALE: String(SCALE),
        PUBLISH_MIN_GAP_MINUTES: '30',
        LEARNING_REWARD_AGE_HOURS: '2',
        LEARNING_CONTROL_SHARE: '0.3',
        WORKER_CONCURRENCY: '2',
      },
      overrides: { now },
    });
    for (let i = 0; i < 2; i++) {
      const persona = await t.createPersona();
      personaIds.push(persona.id);
    }
    await linkSimulatorAccounts(t.deps, sim.url);
    for (const id of personaIds) {
      const res = await t.api(`/v1/personas/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ approval_mode: 'auto', auto_approve_min_score: 0, autopilot: { posts_per_day: 12 } }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { autopilot: unknown }).autopilot).toEqual({ posts_per_day: 12 });
    }
    // Until both groups have two rewarded posts, there is no lift to show.
    report = await waitFor(async () => {
      const r = (await (await t.api('/v1/learning')).json()) as LearningReport;
      return r.lift.ratio !== null && r.lift.lower !== null && r.lift.upper !== null ? r : undefined;
    }, 55_000);
  }, 90_000);

  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('logs every choice of every autopilot post, the hour included', async () => {
    const rows = await t.deps.db.query<{ choice: string; n: number; unlinked: number }>(
      `SELECT choice, count(*)::int AS n, count(*) FILTER (WHERE post_id IS NULL)::int AS unlinked
         FROM learning_decisions GROUP BY choice`,
    );
    const byChoice = Object.fromEntries(rows.map((r) => [r.choice, r.n]));
    for (const choice of ['hook_pattern', 'length', 'closing', 'emoji', 'hour'])
      expect(byChoice[choice]).toBeGreaterThan(0);
    const modes = await t.deps.db.query<{ mode: string }>(`SELECT DISTINCT mode FROM learning_decisions`);
    expect(modes.map((m) => m.mode)).toContain('control');
    // Each published post went out on its own slot's task.
    const [published] = await t.deps.db.query<{ n: number; tasks: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS tasks FROM posts WHERE status = 'published'`,
    );
    expect(published!.n).toBeGreaterThan(4);
    expect(published!.tasks).toBe(published!.n);
  });

  it('rewards posts that reached the reward age and reports the lift with its interval', async () => {
    expect(report.rewards.rewarded).toBeGreaterThanOrEqual(4);
    expect(report.lift.learned_posts).toBeGreaterThanOrEqual(2);
    expect(report.lift.control_posts).toBeGreaterThanOrEqual(2);
    expect(report.lift.learned_posts + report.lift.control_posts).toBeLessThanOrEqual(report.rewards.rewarded);
    expect(report.lift.lower!).toBeLessThanOrEqual(report.lift.ratio!);
    expect(report.lift.upper!).toBeGreaterThanOrEqual(report.lift.ratio!);
    const hours = report.choices.find((c) => c.choice === 'hour')!;
    expect(hours.arms).toHaveLength(8);
    expect(hours.arms.reduce((s, a) => s + a.pulls, 0)).toBeGreaterThan(0);

    const persona = (await (await t.api(`/v1/personas/${personaIds[0]}/learning`)).json()) as LearningReport;
    const patterns = persona.choices.find((c) => c.choice === 'hook_pattern')!;
    expect(patterns.arms.reduce((s, a) => s + a.probability, 0)).toBeCloseTo(1, 5);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/learning_lift_ratio\{persona="all"\} [\d.]+/);
    expect(metrics).toMatch(/learning_decisions_total\{choice="hour",arm="\d\d"\} \d+/);
  });
});
