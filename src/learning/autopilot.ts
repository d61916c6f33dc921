import type { Logger } from 'pino';
import type { Decision, TasksService } from '../generation/index.ts';
import type { Config } from '../platform/config.ts';
import { type Database, type Queryable, toIso } from '../platform/db/index.ts';
import type { Metrics } from '../platform/observability/index.ts';
import { listAutopilotPersonas, type Persona } from '../personas/index.ts';
import { createSeededRandom, deriveSeed, hashString } from '../platform/seeded-random.ts';
import type { BanditModel } from './bandit.ts';
import { insertDecisions } from './learning.repository.ts';
import { groupOf, HOUR_BLOCK, planHour } from './plan.ts';
import { isLearningOn, POLICY_VERSION } from './policy.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface AutopilotDeps {
  db: Database;
  now: () => Date;
  logger: Logger;
  metrics: Metrics;
  tasks: Pick<TasksService, 'createTask'>;
  model: () => Promise<BanditModel>;
  settings: Config['learning'];
  minGapMinutes: number;
}

export interface PlannedSlot {
  slotAt: Date;
  decision: Decision;
}

/**
 * A day's slots: each post's hour block drawn by the policy (uniform for control and learning off), a
 * minute inside the block at random, then spread at least the publishing gap apart.
 */
export function planDay(input: {
  day: Date;
  postsPerDay: number;
  minGapMinutes: number;
  draw: (index: number) => { decision: Decision; offsetMs: number };
}): PlannedSlot[] {
  const slots = Array.from({ length: input.postsPerDay }, (_, i) => {
    const { decision, offsetMs } = input.draw(i);
    const at = input.day.getTime() + Number(decision.arm) * HOUR_MS + offsetMs;
    return { at, decision };
  }).sort((a, b) => a.at - b.at);
  let previous = -Infinity;
  return slots.map((slot) => {
    const at = Math.max(slot.at, previous + input.minGapMinutes * MINUTE_MS);
    previous = at;
    return { slotAt: new Date(at), decision: slot.decision };
  });
}

const dayOf = (t: Date) => new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);

/** The persona's topics (or the autopilot's own), least recently used first. */
async function nextTopic(q: Queryable, persona: Persona): Promise<string> {
  const topics = persona.autopilot?.topics ?? persona.topics;
  const rows = await q.query<{ topic: string; last: unknown }>(
    `SELECT topic, max(slot_at) AS last FROM autopilot_slots WHERE persona_id = $1 AND topic IS NOT NULL GROUP BY topic`,
    [persona.id],
  );
  const last = new Map(rows.map((r) => [r.topic, new Date(toIso(r.last)).getTime()]));
  return [...topics].sort((a, b) => (last.get(a) ?? -Infinity) - (last.get(b) ?? -Infinity))[0]!;
}

/**
 * The autopilot tick (every minute of product time): plans each autopilot persona's day when it starts
 * (posts_per_day slots at the hours the loop has learned), and starts a generation task for every slot
 * that is due. The post then follows the persona's approval mode and the publishing schedule (quota,
 * PUBLISH_MIN_GAP_MINUTES). A slot is written once: its task is created under an idempotency key.
 */
export async function runAutopilot(deps: AutopilotDeps): Promise<{ planned: number; started: number }> {
  const now = deps.now();
  let planned = 0;
  let started = 0;
  for (const persona of await listAutopilotPersonas(deps.db)) {
    planned += await planToday(deps, persona, now);
    const due = await deps.db.query<Record<string, unknown>>(
      `SELECT slot_at, hour_arm, probability, mode FROM autopilot_slots
        WHERE persona_id = $1 AND task_id IS NULL AND slot_at <= $2 ORDER BY slot_at`,
      [persona.id, now.toISOString()],
    );
    for (const slot of due) {
      const slotAt = new Date(toIso(slot.slot_at));
      const topic = await nextTopic(deps.db, persona);
      const decision = {
        choice: 'hour',
        arm: String(slot.hour_arm),
        probability: Number(slot.probability),
        mode: slot.mode,
      } as Decision;
      const { created } = await deps.tasks.createTask(
        { persona_id: persona.id, topic, variants: 1 },
        `autopilot:${persona.id}:${slotAt.toISOString()}`,
        async (tx, task) => {
          await tx.query(`UPDATE autopilot_slots SET task_id = $3, topic = $4 WHERE persona_id = $1 AND slot_at = $2`, [
            persona.id,
            slotAt.toISOString(),
            task.id,
            topic,
          ]);
          await insertDecisions(tx, {
            postId: null,
            taskId: task.id,
            personaId: persona.id,
            policyVersion: POLICY_VERSION,
            decidedAt: now,
            decisions: [decision],
          });
        },
      );
      if (created) {
        started++;
        deps.metrics.learningDecisions.inc({ choice: 'hour', arm: decision.arm });
      }
    }
  }
  if (planned + started > 0) deps.logger.info({ planned, started }, 'autopilot tick');
  return { planned, started };
}

async function planToday(deps: AutopilotDeps, persona: Persona, now: Date): Promise<number> {
  const day = dayOf(now);
  const dayKey = day.toISOString().slice(0, 10);
  const [existing] = await deps.db.query(`SELECT 1 FROM autopilot_slots WHERE persona_id = $1 AND plan_day = $2`, [
    persona.id,
    dayKey,
  ]);
  if (existing) return 0;
  const learningOn = isLearningOn(deps.settings, persona);
  const model = await deps.model();
  const rng = createSeededRandom(deriveSeed(hashString(persona.id), 'autopilot', dayKey));
  const slots = planDay({
    day,
    postsPerDay: persona.autopilot!.posts_per_day,
    minGapMinutes: deps.minGapMinutes,
    draw: () => {
      const group = groupOf({ learningOn, controlShare: deps.settings.controlShare, rng });
      return { decision: planHour({ model, persona, group, rng }), offsetMs: rng() * HOUR_BLOCK * HOUR_MS };
    },
  });
  // Slots already past when the day is planned late (autopilot just switched on) are not written late:
  // their hours would be wrong. The same draw comes out on every tick of the day, so nothing is lost.
  const rows = slots.filter((s) => s.slotAt.getTime() >= now.getTime() - MINUTE_MS);
  for (const slot of rows) {
    await deps.db.query(
      `INSERT INTO autopilot_slots (persona_id, slot_at, plan_day, hour_arm, probability, mode, policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        persona.id,
        slot.slotAt.toISOString(),
        dayKey,
        slot.decision.arm,
        slot.decision.probability,
        slot.decision.mode,
        POLICY_VERSION,
      ],
    );
  }
  return rows.length;
}
