import type { Decision, DecisionMode, LearnedChoice } from '../generation/index.ts';
import { type Queryable, toIso } from '../platform/db/index.ts';
import type { Observation } from './bandit.ts';
import type { PostGroup } from './plan.ts';

interface DecisionRows {
  postId: string | null;
  taskId: string;
  personaId: string;
  policyVersion: string;
  decidedAt: Date;
  decisions: Decision[];
}

const INSERT_DECISIONS = `INSERT INTO learning_decisions (post_id, task_id, persona_id, choice, arm, probability, policy_version, mode, decided_at)
  SELECT $1, $2, $3, d.choice, d.arm, d.probability, $4, d.mode, $5
    FROM jsonb_to_recordset($6::jsonb) AS d(choice text, arm text, probability real, mode text)
  ON CONFLICT (post_id, choice) WHERE post_id IS NOT NULL DO NOTHING`;

const paramsOf = (input: DecisionRows) => [
  input.postId,
  input.taskId,
  input.personaId,
  input.policyVersion,
  input.decidedAt.toISOString(),
  JSON.stringify(input.decisions),
];

export async function insertDecisions(q: Queryable, input: DecisionRows): Promise<void> {
  if (input.decisions.length === 0) return;
  await q.query(INSERT_DECISIONS, paramsOf(input));
}

/**
 * A post's decisions, and the ones made for its task before the post existed (the autopilot's hour)
 * now naming it, in one statement. The UPDATE sees the table as it was before the statement, so it
 * touches only the earlier rows, as when it ran after the INSERT.
 */
export async function insertPostDecisions(q: Queryable, input: DecisionRows & { postId: string }): Promise<void> {
  await q.query(
    `WITH linked AS (UPDATE learning_decisions SET post_id = $1 WHERE task_id = $2 AND post_id IS NULL)
     ${INSERT_DECISIONS}`,
    paramsOf(input),
  );
}

export interface PlanContext {
  /** The group an autopilot slot put the task in, so every choice of the post is made in that group. */
  mode: DecisionMode | null;
  /** The persona's latest accepted openings, newest first (what its audience saw or is about to see). */
  recentPatterns: string[];
  /** The persona's best-rewarded posts among its latest rewarded ones, best first. */
  examples: string[];
}

/** What planning a post reads, in one statement: each statement is a round trip the post waits for. */
export async function readPlanContext(
  q: Queryable,
  input: { taskId: string; personaId: string; patterns: number; examples: number },
): Promise<PlanContext> {
  const [row] = await q.query<{ mode: DecisionMode | null; patterns: string[]; examples: string[] }>(
    `SELECT (SELECT mode FROM learning_decisions WHERE task_id = $1 AND post_id IS NULL LIMIT 1) AS mode,
            ARRAY(SELECT hook_pattern FROM posts
                   WHERE persona_id = $2 AND status IN ('approved', 'scheduled', 'publishing', 'published')
                   ORDER BY coalesce(published_at, scheduled_at, approved_at, created_at) DESC LIMIT $3) AS patterns,
            ARRAY(SELECT text FROM (
                    SELECT p.text, r.reward FROM learning_rewards r JOIN posts p ON p.id = r.post_id
                     WHERE r.persona_id = $2 ORDER BY r.published_at DESC LIMIT 50) latest
                   ORDER BY reward DESC LIMIT $4) AS examples`,
    [input.taskId, input.personaId, input.patterns, input.examples],
  );
  return { mode: row?.mode ?? null, recentPatterns: row?.patterns ?? [], examples: row?.examples ?? [] };
}

/** Rewarded decisions of every persona published after `since`, for the bandit's posterior. */
export async function listObservations(q: Queryable, since: Date): Promise<Observation[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT d.persona_id, p.niche, d.choice, d.arm, r.reward, r.published_at
       FROM learning_rewards r
       JOIN learning_decisions d ON d.post_id = r.post_id
       JOIN personas p ON p.id = r.persona_id
      WHERE r.published_at > $1`,
    [since.toISOString()],
  );
  return rows.map((r) => ({
    personaId: String(r.persona_id),
    niche: String(r.niche),
    choice: r.choice as LearnedChoice,
    arm: String(r.arm),
    reward: Number(r.reward),
    at: new Date(toIso(r.published_at)).getTime(),
  }));
}

/** A published post old enough for its reward, with the first snapshot taken at or after the reward age. */
export interface RewardDue {
  post_id: string;
  persona_id: string;
  published_at: Date;
  views: number;
  interactions: number;
  group: PostGroup;
}

/** Insights stop at 30 days: a post older than this without a reward will never have one. */
const REWARD_WINDOW_DAYS = 31;

export async function listRewardsDue(
  q: Queryable,
  input: { now: Date; ageMs: number; limit: number },
): Promise<RewardDue[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT p.id, p.persona_id, p.published_at, s.views, s.likes + s.replies + s.reposts + s.quotes + s.shares AS interactions,
            (SELECT d.mode FROM learning_decisions d WHERE d.post_id = p.id ORDER BY d.id LIMIT 1) AS mode
       FROM posts p
       CROSS JOIN LATERAL (
         SELECT views, likes, replies, reposts, quotes, shares FROM post_insight_snapshots s
          WHERE s.post_id = p.id AND s.captured_at >= p.published_at + $2::float8 * interval '1 millisecond'
          ORDER BY s.captured_at LIMIT 1) s
      WHERE p.status = 'published' AND p.published_at <= $1::timestamptz - $2::float8 * interval '1 millisecond'
        AND p.published_at > $1::timestamptz - interval '${REWARD_WINDOW_DAYS} days'
        AND NOT EXISTS (SELECT 1 FROM learning_rewards r WHERE r.post_id = p.id)
      ORDER BY p.published_at, p.id LIMIT $3`,
    [input.now.toISOString(), input.ageMs, input.limit],
  );
  return rows.map((r) => ({
    post_id: String(r.id),
    persona_id: String(r.persona_id),
    published_at: new Date(toIso(r.published_at)),
    views: Number(r.views),
    interactions: Number(r.interactions),
    group: r.mode === 'control' ? 'control' : r.mode === 'explore' || r.mode === 'exploit' ? 'learned' : 'off',
  }));
}

/** Engagement rates of the persona's latest rewarded posts before `before`, newest first. */
export async function listRecentRates(q: Queryable, personaId: string | null, before: Date, limit: number) {
  const rows = await q.query<{ engagement_rate: number }>(
    `SELECT engagement_rate FROM learning_rewards
      WHERE ($1::uuid IS NULL OR persona_id = $1) AND published_at < $2
      ORDER BY published_at DESC LIMIT $3`,
    [personaId, before.toISOString(), limit],
  );
  return rows.map((r) => Number(r.engagement_rate));
}

export async function insertReward(
  q: Queryable,
  input: RewardDue & { engagement_rate: number; baseline: number; reward: number; computed_at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO learning_rewards (post_id, persona_id, published_at, views, engagement_rate, baseline, reward, grp, computed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (post_id) DO NOTHING`,
    [
      input.post_id,
      input.persona_id,
      input.published_at.toISOString(),
      input.views,
      input.engagement_rate,
      input.baseline,
      input.reward,
      input.group,
      input.computed_at.toISOString(),
    ],
  );
}

export interface RewardRow {
  persona_id: string;
  group: PostGroup;
  engagement_rate: number;
  baseline: number;
  reward: number;
  published_at: Date;
}

/** Lift and the pooled arms are measured over this much recent history (product time). */
export const REPORT_WINDOW_DAYS = 90;

export async function listRewards(q: Queryable, personaId: string | null, now: Date): Promise<RewardRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT persona_id, grp, engagement_rate, baseline, reward, published_at FROM learning_rewards
      WHERE ($1::uuid IS NULL OR persona_id = $1) AND published_at > $2::timestamptz - interval '${REPORT_WINDOW_DAYS} days'
      ORDER BY published_at`,
    [personaId, now.toISOString()],
  );
  return rows.map((r) => ({
    persona_id: String(r.persona_id),
    group: r.grp as PostGroup,
    engagement_rate: Number(r.engagement_rate),
    baseline: Number(r.baseline),
    reward: Number(r.reward),
    published_at: new Date(toIso(r.published_at)),
  }));
}

/** Published posts still younger than the reward age (or waiting for their snapshot): pending, not failures. */
export async function countPendingRewards(q: Queryable, personaId: string | null, now: Date): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM posts p
      WHERE p.status = 'published' AND ($1::uuid IS NULL OR p.persona_id = $1)
        AND p.published_at > $2::timestamptz - interval '${REWARD_WINDOW_DAYS} days'
        AND NOT EXISTS (SELECT 1 FROM learning_rewards r WHERE r.post_id = p.id)`,
    [personaId, now.toISOString()],
  );
  return row?.n ?? 0;
}

/** Pulls per choice and arm of the persona's (or everyone's) rewarded posts. */
export async function countPulls(q: Queryable, personaId: string | null) {
  const rows = await q.query<{ choice: LearnedChoice; arm: string; n: number }>(
    `SELECT d.choice, d.arm, count(*)::int AS n FROM learning_decisions d
       JOIN learning_rewards r ON r.post_id = d.post_id
      WHERE $1::uuid IS NULL OR d.persona_id = $1 GROUP BY d.choice, d.arm`,
    [personaId],
  );
  return new Map(rows.map((r) => [`${r.choice}|${r.arm}`, r.n]));
}
