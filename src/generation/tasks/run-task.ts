import type { Logger } from 'pino';
import { createSeededRandom, deriveSeed, pick } from '../../platform/seeded-random.ts';
import type { Database } from '../../platform/db/index.ts';
import { PermanentError, errorMessage } from '../../platform/errors.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import { findPersonaById } from '../../personas/index.ts';
import { findVariantsDone, listPostOutcomesOfTask, listRejectionDetailsOfTask } from '../../posts/index.ts';
import type { JobContext } from '../../platform/queue/index.ts';
import { initialDraft } from '../workflow/draft-state.ts';
import { recursionLimitFor, type PersonaGraph } from '../workflow/persona-graph.ts';
import type { TaskEvents } from './task-events.ts';
import { finishTask, startTaskRun } from './task.repository.ts';

export interface TaskRunnerDeps {
  db: Database;
  graph: PersonaGraph;
  events: TaskEvents;
  metrics: Metrics;
  logger: Logger;
  maxAttempts: number;
  /** Shown in the task's events, so an operator can tell which process ran it. */
  workerId: string;
}

/** Runs a generation task: one workflow run per variant not yet stored (a retried job resumes). */
export function createTaskRunner(deps: TaskRunnerDeps) {
  const { db, graph, events, metrics, logger } = deps;

  return async function runTask(taskId: string, context: JobContext): Promise<void> {
    const task = await startTaskRun(db, taskId);
    if (!task) return;
    await events.enqueue({ task_id: task.id, type: 'task_started', data: { run: task.runs, worker: deps.workerId } });
    const stopTotal = metrics.contentGenerationLatency.startTimer({ node: 'total' });
    let personaSlug = 'unknown';
    try {
      const [persona, done] = await Promise.all([findPersonaById(db, task.persona_id), findVariantsDone(db, task.id)]);
      if (!persona) throw new Error(`persona ${task.persona_id} was deleted before the task ran`);
      personaSlug = persona.slug;
      for (let variant = 0; variant < task.variants; variant++) {
        if (done.has(variant)) continue;
        const seed = deriveSeed(task.seed, 'variant', String(variant));
        const topic = task.topic ?? pick(createSeededRandom(deriveSeed(seed, 'topic')), persona.topics);
        await graph.invoke(initialDraft({ taskId: task.id, persona, topic, variant, seed }), {
          recursionLimit: recursionLimitFor(deps.maxAttempts),
        });
      }
      // The node events go out in the background; they are all stored before the task says it is done.
      await events.flush(task.id);
      const outcomes = await listPostOutcomesOfTask(db, task.id);
      if (!outcomes.some((post) => post.accepted)) {
        // Nothing usable came out: the task says why instead of "succeeding" with rejected drafts only.
        const reasons = await listRejectionDetailsOfTask(db, task.id);
        throw new PermanentError(`no acceptable draft for this topic after every attempt: ${reasons.join(' | ')}`);
      }
      await finishTask(db, task.id, { status: 'succeeded' });
      await events.record({ task_id: task.id, type: 'done', data: { post_ids: outcomes.map((post) => post.id) } });
    } catch (error) {
      const message = errorMessage(error);
      metrics.postsGenerated.inc({ persona: personaSlug, outcome: 'failed' });
      logger.warn({ taskId, err: error, final: context.isFinalAttempt }, 'task run failed');
      const permanent = error instanceof PermanentError;
      // Whatever node events were stored come before the outcome; a failure to store them changes nothing here.
      await events.flush(task.id).catch(() => {});
      if (context.isFinalAttempt || permanent) {
        await finishTask(db, task.id, { status: 'failed', error: message });
        await events.record({ task_id: task.id, type: 'error', data: { message } });
      } else {
        await finishTask(db, task.id, { status: 'queued', error: message });
      }
      // A retry cannot fix a permanent failure: the job ends here instead of being retried.
      if (!permanent) throw error;
    } finally {
      // The whole run's time, whatever its end: a run the gate refuses took as long as one it accepts.
      stopTotal();
    }
  };
}
