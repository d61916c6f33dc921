import type { Database, Queryable } from '../../platform/db/index.ts';
import { toIso } from '../../platform/db/index.ts';
import {
  evaluatePredictor,
  fitPredictor,
  MIN_TRAINING_POSTS,
  type PredictorModel,
  type PredictorQuality,
  type TrainingRow,
} from './predictor.ts';

/** The latest rewarded posts are enough: older ones describe an audience that has since drifted. */
const TRAINING_WINDOW = 5_000;

async function listTrainingRows(q: Queryable): Promise<TrainingRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT r.persona_id, p.text, r.published_at, r.engagement_rate, r.baseline, r.reward
       FROM learning_rewards r JOIN posts p ON p.id = r.post_id
      ORDER BY r.published_at DESC LIMIT $1`,
    [TRAINING_WINDOW],
  );
  return rows.map((r) => ({
    personaId: String(r.persona_id),
    text: String(r.text),
    publishedAt: new Date(toIso(r.published_at)),
    rate: Number(r.engagement_rate),
    baseline: Number(r.baseline),
    reward: Number(r.reward),
  }));
}

export interface StoredPredictor {
  id: number;
  trainedAt: string;
  model: PredictorModel;
  quality: PredictorQuality;
}

export async function findLatestPredictor(q: Queryable): Promise<StoredPredictor | null> {
  const [row] = await q.query<Record<string, unknown>>(
    `SELECT id, trained_at, model, train_size, holdout_size, spearman, baseline_spearman
       FROM engagement_predictors ORDER BY id DESC LIMIT 1`,
  );
  if (!row) return null;
  const num = (v: unknown) => (v === null ? null : Number(v));
  return {
    id: Number(row.id),
    trainedAt: toIso(row.trained_at),
    model: row.model as PredictorModel,
    quality: {
      spearman: num(row.spearman),
      baselineSpearman: num(row.baseline_spearman),
      trainSize: Number(row.train_size),
      holdoutSize: Number(row.holdout_size),
    },
  };
}

/**
 * The scheduled retraining: fits the predictor on every rewarded post (its quality measured on a time
 * split first) and stores it; with too few rewarded posts there is nothing to train on yet.
 */
export async function trainPredictor(deps: { db: Database; now: () => Date }): Promise<StoredPredictor | null> {
  const rows = await listTrainingRows(deps.db);
  if (rows.length < MIN_TRAINING_POSTS) return null;
  const quality = evaluatePredictor(rows);
  const model = fitPredictor(rows);
  const [row] = await deps.db.query<{ id: number }>(
    `INSERT INTO engagement_predictors (trained_at, model, train_size, holdout_size, spearman, baseline_spearman)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      deps.now().toISOString(),
      JSON.stringify(model),
      quality.trainSize,
      quality.holdoutSize,
      quality.spearman,
      quality.baselineSpearman,
    ],
  );
  // Only the newest few are kept: each is a full model.
  await deps.db.query(`DELETE FROM engagement_predictors WHERE id <= $1 - 10`, [row!.id]);
  return { id: Number(row!.id), trainedAt: deps.now().toISOString(), model, quality };
}
