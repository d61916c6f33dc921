import pino, { type Logger } from 'pino';
import { createApiToken } from '../../src/auth/index.ts';
import { composeApi } from '../../src/app/compose/api.ts';
import { openPlatform, startQueue } from '../../src/app/compose/open-platform.ts';
import { composeShared } from '../../src/app/compose/shared.ts';
import { composeWorker, type WorkerOverrides } from '../../src/app/compose/worker.ts';
import { buildApiServer } from '../../src/app/http/api-server.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { insertPersona, type Persona } from '../../src/personas/index.ts';
import { personaFields } from './factories.ts';
import { createTestDatabase, type DatabaseKind } from './test-database.ts';

/**
 * The service-level seam: the product's domains wired over a fresh real database, with no HTTP
 * server listening and no worker polling. A test calls the services directly (and runs a task with
 * `runTask`), and reaches a route through `inject` only where the HTTP layer is what it checks.
 */
export async function openTestServices(
  kind: DatabaseKind,
  options: { env?: Record<string, string>; now?: () => Date; logger?: Logger } & WorkerOverrides = {},
) {
  const testDb = await createTestDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', JOB_RETRY_DELAY_SECONDS: '0', ...options.env });
  const logger = options.logger ?? pino({ level: 'silent' });
  const platform = await openPlatform(config, { db: testDb.db, logger, now: options.now });
  const queue = await startQueue(platform);
  const shared = await composeShared(platform, queue);
  const api = composeApi(platform, queue, shared);
  const worker = composeWorker(platform, queue, shared, options);
  const http = await buildApiServer(api);
  const token = await createApiToken(platform.db, 'test');
  return {
    ...api,
    worker,
    createPersona: (overrides?: Parameters<typeof personaFields>[0]): Promise<Persona> =>
      insertPersona(platform.db, personaFields(overrides), 'user'),
    /** Queues a task the way the API does, then runs it in this process, as a worker would. */
    async generate(input: { persona_id: string; topic?: string; variants?: number }) {
      const { task } = await api.tasks.createTask(input);
      // A failed final run rethrows for pg-boss's dead letters; here the task's status says it.
      await worker.runTask(task.id, { jobId: task.id, retryCount: 0, isFinalAttempt: true }).catch(() => {});
      return api.tasks.getTask(task.id);
    },
    /** A request through the real routes, hooks and serializers, without a socket. */
    inject: (url: string, init: { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; body?: unknown } = {}) =>
      http.inject({
        url,
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}` },
        ...(init.body === undefined ? {} : { payload: init.body as object }),
      }),
    async close() {
      await http.close();
      await queue.stop(2000).catch(() => {});
      await testDb.drop();
    },
  };
}

export type TestServices = Awaited<ReturnType<typeof openTestServices>>;
