import type { Deps } from '../create-deps.ts';
import { findPersonaBySlug } from '../../personas/index.ts';
import { startWorker } from '../roles/roles.ts';
import { followTaskEvents, type TaskEvent } from '../../generation/index.ts';

export interface GenerateOptions {
  persona: string;
  topic?: string;
  variants: number;
  worker: boolean;
}

function resultOf(data: Record<string, unknown>): string {
  if (data.error) return `failed: ${data.error}`;
  if (data.rejection) return `rejected: ${(data.rejection as { detail: string }).detail}`;
  if (data.quality_score !== undefined) return `score ${Number(data.quality_score).toFixed(2)}`;
  if (data.hook_pattern) return String(data.hook_pattern);
  if (data.hook) return `"${String(data.hook).slice(0, 60)}"`;
  return '';
}

function describe(event: TaskEvent): string | null {
  const where = event.variant === null ? '' : `variant ${event.variant + 1}, attempt ${event.attempt}: `;
  const data = event.data;
  switch (event.type) {
    case 'task_started':
      return `task started (run ${data.run})`;
    case 'node_started':
      return null;
    case 'node_finished':
      return `  ${where}${String(event.node).padEnd(20)} ${String(data.duration_ms).padStart(8)} ms  ${resultOf(data)}`;
    case 'done':
      return 'done';
    case 'error':
      return `failed: ${data.message}`;
  }
}

/** `threads-agent generate`: queues a task, shows its progress node by node, then prints the drafts. */
export async function runGenerate(deps: Deps, options: GenerateOptions, out: (line: string) => void): Promise<number> {
  const persona = await findPersonaBySlug(deps.db, options.persona);
  if (!persona) {
    out(
      `No persona with slug "${options.persona}". List them with: curl -H "Authorization: Bearer <token>" localhost:${deps.config.port}/v1/personas`,
    );
    return 1;
  }
  const { task } = await deps.tasks.createTask({
    persona_id: persona.id,
    topic: options.topic,
    variants: options.variants,
  });
  out(
    `Task ${task.id} for ${persona.name} (${persona.slug}), ${options.variants} variant(s), model: ${deps.model.provider}`,
  );
  if (options.worker) await startWorker(deps);
  const follower = followTaskEvents(deps, task.id, 0, (event) => {
    const line = describe(event);
    if (line) out(line);
  });
  const terminal = await follower.finished;
  const view = await deps.tasks.getTask(task.id);
  for (const postId of view.post_ids) {
    const post = await deps.posts.getPost(postId);
    const verdict = post.status === 'draft' ? 'accepted' : `${post.rejection_reason}: ${post.rejection_detail?.detail}`;
    out(
      `\n--- post ${post.id} (variant ${post.variant + 1}, ${verdict}, score ${post.quality_score?.toFixed(2)}, ${post.hook_pattern})`,
    );
    out(post.text);
  }
  return terminal?.type === 'done' ? 0 : 1;
}
