import pino from 'pino';
import { buildApiServer, type ApiServer } from '../../src/app/http/api-server.ts';
import { createDeps, type Deps, type DepsOverrides } from '../../src/app/create-deps.ts';
import { createApiToken } from '../../src/auth/api-tokens.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { startWorker } from '../../src/app/roles/roles.ts';
import { personaFields } from './factories.ts';
import { createTestDatabase, type DatabaseKind } from './test-database.ts';

export interface TestApp {
  deps: Deps;
  app: ApiServer;
  /** Base URL of the real HTTP server, e.g. http://127.0.0.1:54321 */
  url: string;
  token: string;
  dbUrl?: string;
  createPersona(overrides?: Parameters<typeof personaFields>[0]): Promise<Persona>;
  /** fetch against the app with the bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The same with another bearer token (a role's, a revoked one, a guess). */
  apiAs(token: string, path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The real app on a real port over a fresh database, with an in-process worker unless told otherwise. */
export async function startTestApp(
  kind: DatabaseKind,
  options: { env?: Record<string, string>; worker?: boolean; overrides?: DepsOverrides } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase(kind);
  const config = loadConfig({
    QUEUE_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '0',
    LOG_LEVEL: 'silent',
    API_VALIDATE_RESPONSES: 'true',
    // Tests call far faster than people do; the rate-limit test sets its own low limits.
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_AUTH_FAILURES: '1000000',
    ...options.env,
  });
  const deps = await createDeps(config, { db: testDb.db, logger: pino({ level: 'silent' }), ...options.overrides });
  const stopTicker = options.worker !== false ? await startWorker(deps) : () => {};
  const app = await buildApiServer(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const token = await createApiToken(deps.db, 'test');
  const apiAs = (bearer: string, path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  return {
    deps,
    app,
    url,
    token,
    dbUrl: testDb.url,
    createPersona: (overrides) => insertPersona(deps.db, personaFields(overrides), 'user'),
    api: (path, init) => apiAs(token, path, init),
    apiAs,
    async close() {
      stopTicker();
      await app.close();
      await deps.queue.stop(2000).catch(() => {});
      await testDb.drop();
    },
  };
}
