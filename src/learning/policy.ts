import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db/index.ts';
import type { ContentPolicy, DecisionMode, DraftPlan, PlanInput } from '../generation/index.ts';
import type { Metrics } from '../platform/observability/index.ts';
import type { Persona } from '../personas/index.ts';
import { createSeededRandom, deriveSeed } from '../platform/seeded-random.ts';
import { type BanditModel, fitBandit } from './bandit.ts';
import { insertPostDecisions, listObservations, readPlanContext } from './learning.repository.ts';
import { groupOf, planDraft, type PostGroup, SATURATION } from './plan.ts';
import { predictReward } from './predictor/predictor.ts';
import { findLatestPredictor, type StoredPredictor } from './predictor/train-predictor.ts';

export const POLICY_VERSION = 'thompson-eb-v1';
const DAY_MS = 86_400_000;
/** Observations older than this many half-lives weigh under 2% and are not read. */
const HALF_LIVES_READ = 6;
/** The posterior and the predictor are re-read at most this often (wall clock): plans come in bursts. */
const CACHE_MS = 5_000;
/** Best-performing recent posts shown to a model as examples. */
const EXAMPLES = 3;

export interface LearningPolicyDeps {
  db: Database;
  now: () => Date;
  metrics: Metrics;
  settings: Config['learning'];
}

export const isLearningOn = (settings: Config['learning'], persona: Pick<Persona, 'learning_mode'>) =>
  settings.enabled && persona.learning_mode === 'on';

function cached<T>(load: () => Promise<T>) {
  let value: { at: number; data: Promise<T> } | null = null;
  return () => {
    if (!value || Date.now() - value.at > CACHE_MS) value = { at: Date.now(), data: load() };
    return value.data;
  };
}

/** The learning loop's side of the workflow's policy port, over the decision log and the rewards. */
export function createLearningPolicy(deps: LearningPolicyDeps) {
  const { db, settings } = deps;

  const model = cached<BanditModel>(async () => {
    const now = deps.now().getTime();
    const since = new Date(now - HALF_LIVES_READ * settings.halfLifeDays * DAY_MS);
    return fitBandit(await listObservations(db, since), { now, halfLifeDays: settings.halfLifeDays });
  });
  const predictor = cached<StoredPredictor | null>(() => findLatestPredictor(db));

  /** The group of the post being planned: the one its autopilot slot drew, else drawn now. */
  function groupFor(persona: Persona, mode: DecisionMode | null, postSeed: number): PostGroup {
    if (!isLearningOn(settings, persona)) return 'off';
    if (mode === 'control' || mode === 'off') return mode;
    if (mode) return 'learned';
    return groupOf({
      learningOn: true,
      controlShare: settings.controlShare,
      rng: createSeededRandom(deriveSeed(postSeed, 'group')),
    });
  }

  async function planDrafts(input: PlanInput): Promise<DraftPlan[]> {
    const { persona } = input;
    const on = isLearningOn(settings, persona);
    // Read together, and the reads in one statement: each is a round trip the post waits for. A model
    // sees what the audience rewarded (the examples); the offline composer ignores them.
    const [read, posterior] = await Promise.all([
      on
        ? readPlanContext(db, {
            taskId: input.taskId,
            personaId: persona.id,
            patterns: SATURATION.window,
            examples: EXAMPLES,
          })
        : null,
      on ? model() : null,
    ]);
    const group = groupFor(persona, read?.mode ?? null, input.postSeed);
    const rng = createSeededRandom(deriveSeed(input.seed, 'learning'));
    const learned = group === 'learned';
    const bandit = learned && posterior ? posterior : fitBandit([], { now: 0, halfLifeDays: 1 });
    const recentPatterns = learned ? (read?.recentPatterns ?? []) : [];
    const examples = learned ? (read?.examples ?? []) : [];
    const context = {
      model: bandit,
      persona,
      group,
      rng,
      seed: input.seed,
      recentPatterns,
      avoidPatterns: input.avoidPatterns,
    };
    // Control and learning-off posts are one uniform draw each: ranking them would bias the comparison.
    const count = learned ? input.count : 1;
    return Array.from({ length: count }, () => ({ ...planDraft(context), examples }));
  }

  const policy: ContentPolicy = {
    version: POLICY_VERSION,
    planDrafts,
    async predict({ persona, text }) {
      if (!isLearningOn(settings, persona)) return null;
      const stored = await predictor();
      return stored ? predictReward(stored.model, persona.id, text, deps.now()) : null;
    },
    async recordDecisions(tx, input) {
      await insertPostDecisions(tx, { ...input, policyVersion: POLICY_VERSION, decidedAt: deps.now() });
      for (const d of input.decisions) deps.metrics.learningDecisions.inc({ choice: d.choice, arm: d.arm });
    },
  };
  return { policy, model };
}
