import type { ServerResponse } from 'node:http';
import type { TaskEvent, TaskEventHub } from '../../generation/index.ts';

const HEARTBEAT_MS = 15_000;

function format(event: TaskEvent): string {
  const { id, type, node, variant, attempt, data, created_at } = event;
  const payload = JSON.stringify({ node, variant, attempt, ...data, at: created_at });
  return `id: ${id}\nevent: ${type}\ndata: ${payload}\n\n`;
}

/**
 * Streams a task's events as Server-Sent Events from the process's shared hub, replaying those
 * after `afterId`; ends after done or error (at once when the task ended before `afterId`).
 * `onClose` runs once, however the stream ends.
 */
export function streamTaskEvents(
  hub: TaskEventHub,
  taskId: string,
  afterId: number,
  res: ServerResponse,
  onClose: () => void,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': stream of task events\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const follower = hub.follow(taskId, afterId, (event) => res.write(format(event)));
  res.on('close', () => {
    follower.stop();
    clearInterval(heartbeat);
    onClose();
  });
  void follower.finished.then(() => {
    clearInterval(heartbeat);
    res.end();
  });
}
