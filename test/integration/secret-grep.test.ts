import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type RunningCli, startCli, waitFor } from '../support/child-process.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database.ts';

const SECRETS = {
  API_ADMIN_TOKEN: 'ta_grep-admin-7Qm2xV9pL4sK8dR1',
  OPENAI_API_KEY: 'sk-grep-Hx4Tn8Wq2Lp6Vz1Rb5Yc9Md3',
  THREADS_APP_SECRET: 'threads-grep-secret-e81c44d0',
  TOKEN_ENCRYPTION_KEY: '5b'.repeat(32),
  OPS_TOKEN: 'ops-grep-token-2d9f61ab7c',
};

/** The product as a user starts it (`threads-agent all`), with known secrets, then its logs and /metrics grepped. */
describe.each(DATABASE_KINDS)('no secret in logs or /metrics after a run on %s', (kind) => {
  let run: RunningCli | undefined;
  let testDb: TestDatabase | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-secrets-'));
  afterAll(async () => {
    run?.child.kill('SIGKILL');
    await testDb?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exercises good and failing calls, then finds none of the secrets', async () => {
    testDb = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    run = startCli(['all'], {
      ...SECRETS,
      // An unreachable model endpoint: generation fails, and its error passes through the logs.
      OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`,
      LLM_MAX_RETRIES: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: testDb?.url ?? '',
      PORT: String(port),
      SIM_PORT: String(await freePort()),
      LOG_LEVEL: 'debug',
      QUEUE_POLL_SECONDS: '0.5',
    });
    await waitFor(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 90_000);
    const admin = { authorization: `Bearer ${SECRETS.API_ADMIN_TOKEN}`, 'content-type': 'application/json' };

    const personas = (await (await fetch(`${base}/v1/personas`, { headers: admin })).json()) as {
      data: { id: string }[];
    };
    expect(personas.data.length).toBeGreaterThan(0);
    const created = await fetch(`${base}/v1/tokens`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'grep', role: 'editor' }),
    });
    expect(created.status).toBe(201);
    const minted = ((await created.json()) as { token: string }).token;
    const task = await fetch(`${base}/v1/tasks`, {
      method: 'POST',
      headers: { ...admin, authorization: `Bearer ${minted}` },
      body: JSON.stringify({ persona_id: personas.data[0]!.id }),
    });
    expect(task.status).toBe(202);
    const taskUrl = `${base}${task.headers.get('location')}`;
    expect((await fetch(`${base}/v1/personas`, { method: 'POST', headers: admin, body: '{"slug":1}' })).status).toBe(
      400,
    );
    // Secrets sent where a token goes: refused, counted against the failed-auth limit, never echoed.
    const guesses = [
      SECRETS.OPENAI_API_KEY,
      SECRETS.THREADS_APP_SECRET,
      SECRETS.OPS_TOKEN,
      `${SECRETS.API_ADMIN_TOKEN}x`,
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const guess = await fetch(`${base}/v1/personas`, { headers: { authorization: `Bearer ${guesses[i % 4]}` } });
      statuses.push(guess.status);
      expect(await guess.text()).not.toContain(guesses[i % 4]!);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const failed = await waitFor(async () => {
      const body = (await (await fetch(taskUrl, { headers: admin })).json()) as { status: string };
      return body.status === 'failed' ? body : undefined;
    }, 60_000);
    expect(failed.status).toBe('failed');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const output = run.output();
    expect(output).toContain('threads-agent started');
    expect(output.length).toBeGreaterThan(1000);
    for (const secret of [...Object.values(SECRETS), minted]) {
      expect(output).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    expect(output).not.toContain(minted.slice(3, 20));
  }, 180_000);
});
