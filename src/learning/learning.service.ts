import { LEARNED_CHOICES, type LearnedChoice } from '../generation/index.ts';
import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Metrics } from '../platform/observability/index.ts';
import { findPersonaById, listAllPersonas, type Persona } from '../personas/index.ts';
import { createSeededRandom } from '../platform/seeded-random.ts';
import { type BanditModel, choiceProbabilities } from './bandit.ts';
import {
  countPendingRewards,
  countPulls,
  listRewards,
  REPORT_WINDOW_DAYS,
  type RewardRow,
} from './learning.repository.ts';
import { type Lift, liftOf } from './lift.ts';
import { armsOf, posteriorsOf } from './plan.ts';
import { isLearningOn, POLICY_VERSION } from './policy.ts';
import { findLatestPredictor } from './predictor/train-predictor.ts';
import { computeRewards } from './reward.ts';

export interface ArmReport {
  arm: string;
  pulls: number;
  mean_reward: number;
  /** Posterior standard deviation of the mean (persona), or standard error of the raw mean (overall). */
  uncertainty: number;
  probability: number;
}

export interface ChoiceReport {
  choice: LearnedChoice;
  arms: ArmReport[];
}

export interface PredictorReport {
  trained_at: string | null;
  train_size: number;
  holdout_size: number;
  spearman: number | null;
  baseline_spearman: number | null;
}

export interface LearningServiceDeps {
  db: Database;
  now: () => Date;
  metrics: Metrics;
  settings: Config['learning'];
  model: () => Promise<BanditModel>;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function createLearningService(deps: LearningServiceDeps) {
  const { db } = deps;

  async function predictorReport(): Promise<PredictorReport> {
    const stored = await findLatestPredictor(db);
    return {
      trained_at: stored?.trainedAt ?? null,
      train_size: stored?.quality.trainSize ?? 0,
      holdout_size: stored?.quality.holdoutSize ?? 0,
      spearman: stored?.quality.spearman ?? null,
      baseline_spearman: stored?.quality.baselineSpearman ?? null,
    };
  }

  /** The persona's posterior per arm and the chance Thompson sampling picks each now. */
  async function personaChoices(persona: Persona): Promise<ChoiceReport[]> {
    const model = await deps.model();
    const pulls = await countPulls(db, persona.id);
    const rng = createSeededRandom(1);
    return LEARNED_CHOICES.map((choice) => {
      const posteriors = posteriorsOf(model, persona, choice);
      const probabilities = isLearningOn(deps.settings, persona)
        ? choiceProbabilities(posteriors, rng)
        : new Map([...posteriors.keys()].map((arm) => [arm, 1 / posteriors.size]));
      return {
        choice,
        arms: [...posteriors].map(([arm, p]) => ({
          arm,
          pulls: pulls.get(`${choice}|${arm}`) ?? 0,
          mean_reward: p.mean,
          uncertainty: p.sd,
          probability: probabilities.get(arm) ?? 0,
        })),
      };
    });
  }

  async function personaReport(id: string) {
    const persona = await findPersonaById(db, id);
    if (!persona) throw new AppError('not_found', `persona ${id} does not exist`);
    const rewards = await listRewards(db, persona.id, deps.now());
    const lift = liftOf(rewards);
    if (lift.ratio !== null) deps.metrics.learningLift.set({ persona: persona.slug }, lift.ratio);
    return {
      persona_id: persona.id,
      slug: persona.slug,
      learning: isLearningOn(deps.settings, persona) ? ('on' as const) : ('off' as const),
      autopilot: persona.autopilot,
      policy_version: POLICY_VERSION,
      rewards: { rewarded: rewards.length, pending: await countPendingRewards(db, persona.id, deps.now()) },
      choices: await personaChoices(persona),
      lift,
      predictor: await predictorReport(),
    };
  }

  /** Every persona's rewards pooled: raw mean reward per arm, and how often each arm was chosen of late. */
  async function overallChoices(): Promise<ChoiceReport[]> {
    const rows = await db.query<{ choice: LearnedChoice; arm: string; reward: number }>(
      `SELECT d.choice, d.arm, r.reward FROM learning_decisions d JOIN learning_rewards r ON r.post_id = d.post_id
        WHERE r.published_at > $1::timestamptz - interval '${REPORT_WINDOW_DAYS} days'`,
      [deps.now().toISOString()],
    );
    const recent = await db.query<{ choice: LearnedChoice; arm: string; n: number }>(
      `SELECT choice, arm, count(*)::int AS n FROM (
         SELECT choice, arm, row_number() OVER (PARTITION BY choice ORDER BY id DESC) AS k
           FROM learning_decisions WHERE mode IN ('explore', 'exploit')) latest
        WHERE k <= 200 GROUP BY choice, arm`,
    );
    return LEARNED_CHOICES.map((choice) => {
      const ofChoice = rows.filter((r) => r.choice === choice);
      const arms = [...new Set([...armsOf({ hook_patterns: [] }, choice), ...ofChoice.map((r) => r.arm)])];
      const chosen = recent.filter((r) => r.choice === choice);
      const total = chosen.reduce((s, r) => s + r.n, 0);
      return {
        choice,
        arms: arms.map((arm) => {
          const rewards = ofChoice.filter((r) => r.arm === arm).map((r) => Number(r.reward));
          const m = rewards.length ? mean(rewards) : 0;
          const sd = rewards.length > 1 ? Math.sqrt(mean(rewards.map((x) => (x - m) ** 2))) : Number.NaN;
          return {
            arm,
            pulls: rewards.length,
            mean_reward: m,
            uncertainty: rewards.length > 1 ? sd / Math.sqrt(rewards.length) : 0,
            probability: total ? (chosen.find((r) => r.arm === arm)?.n ?? 0) / total : 0,
          };
        }),
      };
    });
  }

  async function overallReport() {
    const rewards = await listRewards(db, null, deps.now());
    const personas = await listAllPersonas(db);
    const byPersona = new Map<string, RewardRow[]>();
    for (const r of rewards) byPersona.set(r.persona_id, [...(byPersona.get(r.persona_id) ?? []), r]);
    const lift = liftOf(rewards);
    const predictor = await predictorReport();
    publish(lift, predictor, personas, byPersona);
    return {
      enabled: deps.settings.enabled,
      control_share: deps.settings.controlShare,
      reward_age_hours: deps.settings.rewardAgeHours,
      policy_version: POLICY_VERSION,
      rewards: { rewarded: rewards.length, pending: await countPendingRewards(db, null, deps.now()) },
      choices: await overallChoices(),
      lift,
      predictor,
      personas: personas.map((p) => ({
        persona_id: p.id,
        slug: p.slug,
        learning: isLearningOn(deps.settings, p) ? ('on' as const) : ('off' as const),
        autopilot: p.autopilot,
        lift: liftOf(byPersona.get(p.id) ?? []),
      })),
    };
  }

  function publish(lift: Lift, predictor: PredictorReport, personas: Persona[], byPersona: Map<string, RewardRow[]>) {
    const m = deps.metrics;
    if (lift.ratio !== null) m.learningLift.set({ persona: 'all' }, lift.ratio);
    for (const p of personas) {
      const ratio = liftOf(byPersona.get(p.id) ?? []).ratio;
      if (ratio !== null) m.learningLift.set({ persona: p.slug }, ratio);
    }
    if (predictor.spearman !== null) m.predictionSpearman.set({ model: 'predictor' }, predictor.spearman);
    if (predictor.baseline_spearman !== null)
      m.predictionSpearman.set({ model: 'baseline' }, predictor.baseline_spearman);
  }

  /** The periodic update: rewards for posts that came of age, then the gauges. */
  async function update(): Promise<{ rewarded: number }> {
    const rewarded = await computeRewards({ db, now: deps.now, rewardAgeHours: deps.settings.rewardAgeHours });
    await overallReport();
    return { rewarded };
  }

  return { personaReport, overallReport, update };
}

export type LearningService = ReturnType<typeof createLearningService>;
