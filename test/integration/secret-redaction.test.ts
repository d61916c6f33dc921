import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/observability/index.ts';
import { secretsOf, loadConfig } from '../../src/platform/config.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { openTestServices, type TestServices } from '../support/test-services.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const KEY = 'sk-proj-Zq8LrT3vXk9mWc4bNf7hJd2sPa6yGe1u';
const SECRETS = {
  OPENAI_API_KEY: KEY,
  API_ADMIN_TOKEN: 'ta_admin-secret-for-redaction-test',
  THREADS_APP_SECRET: 'threads-app-secret-4c1f9e',
  TOKEN_ENCRYPTION_KEY: '9f'.repeat(32),
};

describe.each(DATABASE_KINDS)('secrets a provider echoes back, on %s', (kind) => {
  let server: FakeOpenAiServer;
  let t: TestServices;
  let logs = '';
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    // What a provider does with a refused key: its error body repeats the Authorization header.
    server.respondWith(() => ({
      status: 401,
      json: {
        error: { message: `Incorrect API key provided. Authorization: Bearer ${KEY}`, type: 'invalid_request_error' },
      },
    }));
    const env = { ...SECRETS, OPENAI_BASE_URL: server.url, LLM_MAX_RETRIES: '0', LOG_LEVEL: 'debug' };
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs += String(chunk);
        done();
      },
    });
    t = await openTestServices(kind, { env, logger: createLogger('debug', sink, secretsOf(loadConfig(env))) });
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('reach no log line, error body, stored error or metric', async () => {
    const persona = await t.createPersona();
    const task = await t.generate({ persona_id: persona.id });
    expect(task.status).toBe('failed');
    expect(server.requests.length).toBeGreaterThan(0);
    expect(logs).toContain('task run failed');

    const stored = await t.db.query<{ text: string }>(
      `SELECT coalesce(error, '') AS text FROM llm_calls UNION ALL SELECT coalesce(error, '') FROM tasks`,
    );
    const api = await t.inject(`/v1/tasks/${task.id}`);
    const metrics = await t.inject('/metrics');
    const everything = [logs, api.body, metrics.body, ...stored.map((r) => r.text)].join('\n');
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(KEY.slice(0, 20));
  });
});
