import { createHash, randomInt } from 'node:crypto';
import { type Database, isUniqueViolation, type Queryable } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { findPersonaById } from '../../personas/index.ts';
import { listPostIdsOfTask } from '../../posts/index.ts';
import type { Queue } from '../../platform/queue/index.ts';
import { checkTopicLanguage } from '../writing/language.ts';
import { listTaskEvents, type TaskEvent } from './task-event.repository.ts';
import { decodeCursor, encodeCursor } from '../../platform/page-cursor.ts';
import {
  findTaskById,
  findTaskByIdempotencyKey,
  insertTask,
  listTasks,
  type Task,
  type TaskStatus,
} from './task.repository.ts';

export interface CreateTaskInput {
  persona_id: string;
  topic?: string;
  variants?: number;
}

export interface TaskStep {
  node: string;
  variant: number | null;
  attempt: number | null;
  status: 'running' | 'ok' | 'error';
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  error?: string;
}

export interface TaskView extends TaskSummary {
  steps: TaskStep[];
  post_ids: string[];
}

export type TaskSummary = Omit<Task, 'idempotency_key' | 'request_hash' | 'seed'>;

function summarise(task: Task): TaskSummary {
  const { idempotency_key: _key, request_hash: _hash, seed: _seed, ...rest } = task;
  return rest;
}

function hashRequest(input: Required<Pick<CreateTaskInput, 'persona_id' | 'variants'>> & { topic: string | null }) {
  return createHash('sha256')
    .update(JSON.stringify([input.persona_id, input.topic, input.variants]))
    .digest('hex');
}

export function createTasksService(deps: { db: Database; queue: Queue }) {
  const { db, queue } = deps;

  /**
   * Creates the task and its job atomically; a repeated Idempotency-Key returns the first task.
   * `withTask` runs in the same transaction, before the job can start (the autopilot logs its hour there).
   */
  async function createTask(
    input: CreateTaskInput,
    idempotencyKey?: string,
    withTask?: (tx: Queryable, task: Task) => Promise<unknown>,
  ): Promise<{ task: Task; created: boolean }> {
    const normalised = { persona_id: input.persona_id, topic: input.topic ?? null, variants: input.variants ?? 1 };
    const requestHash = hashRequest(normalised);
    if (idempotencyKey) {
      const existing = await replayed(idempotencyKey, requestHash);
      if (existing) return { task: existing, created: false };
    }
    const persona = await findPersonaById(db, input.persona_id);
    if (!persona) throw new AppError('unprocessable', `persona ${input.persona_id} does not exist`);
    if (input.topic) {
      const language = checkTopicLanguage(input.topic, persona.niche);
      if (!language.ok) throw new AppError('unprocessable', `topic "${input.topic}": ${language.message}`);
    }
    try {
      const task = await db.transaction(async (tx) => {
        const created = await insertTask(tx, {
          ...normalised,
          seed: randomInt(0, 2 ** 31 - 1),
          idempotency_key: idempotencyKey ?? null,
          request_hash: requestHash,
        });
        await withTask?.(tx, created);
        await queue.send('generate-posts', { taskId: created.id }, { tx });
        return created;
      });
      return { task, created: true };
    } catch (error) {
      // Two requests with one key raced: the loser answers with the winner's task.
      if (idempotencyKey && isUniqueViolation(error)) {
        const existing = await replayed(idempotencyKey, requestHash);
        if (existing) return { task: existing, created: false };
      }
      throw error;
    }
  }

  async function replayed(key: string, requestHash: string): Promise<Task | null> {
    const existing = await findTaskByIdempotencyKey(db, key);
    if (existing && existing.request_hash !== requestHash) {
      throw new AppError('unprocessable', 'this Idempotency-Key was already used with a different request body');
    }
    return existing;
  }

  async function requireTask(id: string): Promise<Task> {
    const task = await findTaskById(db, id);
    if (!task) throw new AppError('not_found', `task ${id} does not exist`);
    return task;
  }

  async function getTask(id: string): Promise<TaskView> {
    const task = await requireTask(id);
    const [events, postIds] = await Promise.all([listTaskEvents(db, id), listPostIdsOfTask(db, id)]);
    return { ...summarise(task), steps: stepsFrom(events), post_ids: postIds };
  }

  async function listPage(query: { persona_id?: string; status?: TaskStatus; limit: number; cursor?: string }) {
    const { tasks, next } = await listTasks(db, {
      personaId: query.persona_id,
      status: query.status,
      limit: query.limit,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    return { data: tasks.map(summarise), next_cursor: next ? encodeCursor(next) : null };
  }

  return { createTask, getTask, requireTask, listPage };
}

export type TasksService = ReturnType<typeof createTasksService>;

/** Pairs each node's start with its end. */
export function stepsFrom(events: TaskEvent[]): TaskStep[] {
  const steps: TaskStep[] = [];
  const open = new Map<string, TaskStep>();
  for (const event of events) {
    if (event.type === 'task_started') {
      // A new run: whatever the previous run left open was cut short by a stopped worker.
      for (const step of open.values()) {
        step.status = 'error';
        step.error = 'interrupted: the worker stopped during this step';
      }
      open.clear();
      continue;
    }
    const key = `${event.node}/${event.variant}/${event.attempt}`;
    if (event.type === 'node_started' && event.node) {
      const step: TaskStep = {
        node: event.node,
        variant: event.variant,
        attempt: event.attempt,
        status: 'running',
        started_at: event.created_at,
        finished_at: null,
        duration_ms: null,
      };
      steps.push(step);
      open.set(key, step);
    } else if (event.type === 'node_finished') {
      const step = open.get(key);
      if (!step) continue;
      open.delete(key);
      step.finished_at = event.created_at;
      step.duration_ms = typeof event.data.duration_ms === 'number' ? event.data.duration_ms : null;
      step.status = typeof event.data.error === 'string' ? 'error' : 'ok';
      if (typeof event.data.error === 'string') step.error = event.data.error;
    }
  }
  return steps;
}
