import type { ServerResponse } from 'node:http';
import type { Queryable } from '../../platform/db/index.ts';
import { followTaskEvents, type TaskEvent, type TaskEvents } from '../../generation/index.ts';

const HEARTBEAT_MS = 15_000;

function format(event: TaskEvent): string {
  const { id, type, node, variant, attempt, data, created_at } = event;
  const payload = JSON.stringify({ node, variant, attempt, ...data, at: created_at });
  return `id: ${id}\nevent: ${type}\ndata: ${payload}\n\n`;
}

/** Streams a task's events as Server-Sent Events, replaying those after `afterId`; ends after done or error. */
export function streamTaskEvents(
  deps: { db: Queryable; events: TaskEvents },
  taskId: string,
  afterId: number,
  res: ServerResponse,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': stream of task events\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const follower = followTaskEvents(deps, taskId, afterId, (event) => res.write(format(event)));
  res.on('close', follower.stop);
  void follower.finished.then(() => {
    clearInterval(heartbeat);
    res.end();
  });
}
