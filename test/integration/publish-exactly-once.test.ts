import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABANDONED_CLAIM_MS } from '../../src/posts/publishing/publish-delays.ts';
import { buildThreadsSimulator } from '../../src/sim/index.ts';
import { startCli, type RunningCli } from '../support/child-process.ts';
import {
  TEST_TOKEN_KEY,
  insertDraft,
  linkSimAccount,
  simUserState,
  waitForPost,
} from '../support/publishing-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Where the worker dies: (a) as create_container arrives, (b) after the container exists but before the answer, (c) after threads_publish went through but before the answer. */
type CrashPoint = 'a' | 'b' | 'c';

const isCreate = (r: FastifyRequest) => r.method === 'POST' && r.routeOptions.url === '/v1.0/:id/threads';
const isPublish = (r: FastifyRequest) => r.method === 'POST' && r.routeOptions.url === '/v1.0/:id/threads_publish';

// Worker processes sharing one queue need a database server; PGlite is one process's.
describe.runIf(Boolean(process.env.DATABASE_URL))(
  'publishing exactly once when the worker is killed (PostgreSQL)',
  () => {
    let t: TestApp;
    let sim: FastifyInstance;
    let simUrl: string;
    // The test process's clock (its scheduler frees posts abandoned by a dead run); workers keep wall time.
    let offsetMs = 0;
    let trap: { point: CrashPoint; victim: RunningCli } | null = null;
    const workers: RunningCli[] = [];

    /** SIGKILLs the armed worker and waits until it is gone, so it never sees the answer. */
    async function spring(point: CrashPoint, request: FastifyRequest, statusCode: number): Promise<boolean> {
      if (trap?.point !== point || statusCode !== 200) return false;
      if (!(point === 'c' ? isPublish(request) : isCreate(request))) return false;
      const { victim } = trap;
      trap = null;
      victim.child.kill('SIGKILL');
      await victim.exited;
      return true;
    }

    function startWorker(): RunningCli {
      const worker = startCli(['worker'], {
        DATABASE_URL: t.dbUrl!,
        THREADS_API_BASE_URL: simUrl,
        TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY,
        QUEUE_POLL_SECONDS: '0.5',
        JOB_RETRY_DELAY_SECONDS: '1',
      });
      workers.push(worker);
      return worker;
    }

    beforeAll(async () => {
      // Wall clock; containers take 300 ms to process, so the not-ready race is part of every run.
      sim = await buildThreadsSimulator({ seed: 3, appId: 'app', appSecret: 'secret', containerReadyMs: 300 });
      sim.addHook('onRequest', async (request, reply) => {
        if (await spring('a', request, 200))
          return reply.code(503).send({ error: { message: 'the worker is gone', code: 2 } });
      });
      sim.addHook('onSend', async (request, reply, payload) => {
        await spring('b', request, reply.statusCode);
        await spring('c', request, reply.statusCode);
        return payload;
      });
      await sim.listen({ port: 0, host: '127.0.0.1' });
      const address = sim.server.address();
      simUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      t = await startTestApp('postgres', {
        worker: false,
        env: { THREADS_API_BASE_URL: simUrl, TOKEN_ENCRYPTION_KEY: TEST_TOKEN_KEY },
        overrides: { now: () => new Date(Date.now() + offsetMs) },
      });
    });
    afterAll(async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await t?.close();
      await sim?.close();
    });

    it.each(['a', 'b', 'c'] as const)(
      'publishes once after a SIGKILL at point (%s), finished by a fresh worker',
      async (point) => {
        offsetMs = 0;
        const persona = await t.createPersona();
        const user = await linkSimAccount(t.deps, simUrl, persona.id);
        const draft = await insertDraft(t.deps.db, persona.id);
        await t.deps.publishing.schedule(draft.id);

        const victim = startWorker();
        trap = { point, victim };
        await t.deps.publishing.schedulePosts();
        await victim.exited;
        expect(victim.child.signalCode).toBe('SIGKILL');
        const left = await t.deps.posts.getPost(draft.id);
        expect(left.status).toBe('publishing');

        const fresh = startWorker();
        // Later, the scheduler finds the post still held by the dead run, frees it and queues it again.
        offsetMs = ABANDONED_CLAIM_MS + 60_000;
        expect((await t.deps.publishing.schedulePosts()).queued).toBe(1);
        const done = await waitForPost(t.deps.db, draft.id, (p) => p.status === 'published', 60_000);

        const state = await simUserState(simUrl, user.user_id);
        expect(state.published_posts).toBe(1);
        expect(state.containers.PUBLISHED).toBe(1);
        const listed = await t.deps.threads.listUserThreads({
          userId: user.user_id,
          accessToken: user.access_token,
          fields: ['id', 'text', 'permalink'],
        });
        expect(listed.data).toHaveLength(1);
        expect(listed.data[0]).toEqual({ id: done.threads_media_id, text: draft.text, permalink: done.permalink });
        expect(done.permalink).toMatch(/^https:\/\/www\.threads\.net\/@pub_[a-f0-9]+\/post\//);

        const steps = (
          await t.deps.db.query<{ step: string; outcome: string }>(
            'SELECT step, outcome FROM publish_attempts WHERE post_id = $1 ORDER BY id',
            [draft.id],
          )
        ).map((a) => `${a.step}:${a.outcome}`);
        expect(steps.filter((s) => s === 'container:ok')).toHaveLength(1);
        if (point === 'c') {
          // The container id was stored before threads_publish: the fresh run asked what became of it and adopted the post.
          expect(steps.slice(-2)).toEqual(['status:ok', 'lookup:ok']);
          expect(steps).not.toContain('publish:ok');
        } else {
          // No container id was stored (none made, or its answer lost): the fresh run made the only stored one.
          expect(steps.slice(-2)).toEqual(['publish:ok', 'lookup:ok']);
        }
        if (point === 'b') expect(Object.values(state.containers).reduce((a, b) => a + b, 0)).toBe(2);

        fresh.child.kill('SIGTERM');
        expect(await fresh.exited).toBe(0);
      },
      120_000,
    );
  },
);
