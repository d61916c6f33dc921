// What one post costs beside its model: the task runner and the whole workflow (events, budget,
// llm_calls rows, scoring, dedup, guardrails, persist, finish) with the model's own time taken out,
// measured in the same run by timing every model call. Then the same with a local chat-completions
// server that answers in 800 ms (two calls a post).
// Run: npx tsx bench/per-post.ts [posts]   (with DATABASE_URL set, also on that server)
import pino from 'pino';
import { createDeps } from '../src/app/create-deps.ts';
import { createOfflineComposer } from '../src/generation/index.ts';
import type { ContentModel } from '../src/generation/model/content-model.ts';
import type { Database, Queryable } from '../src/platform/db/database.ts';
import { loadConfig } from '../src/platform/config.ts';
import { insertPersona } from '../src/personas/persona.repository.ts';
import { chatCompletion, startFakeOpenAiServer } from '../test/support/fake-openai-server.ts';
import { personaFields } from '../test/support/factories.ts';
import { DATABASE_KINDS, createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';

const POSTS = Number(process.argv[2] ?? 40);
const WARMUP = 5;
const SLOW_POSTS = 6;
const MODEL_MS = 800;
const TARGET_OVERHEAD_MS = 10;
const TARGET_SLOW_POST_MS = 2000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

/** Counts the statements sent (BEGIN and COMMIT included), to show the round trips a post costs. */
function countStatements(db: Database): { db: Database; count: () => number } {
  let n = 0;
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      n += 1;
      return q.query(sql, params);
    },
    exec: (sql) => {
      n += 1;
      return q.exec(sql);
    },
  });
  const base = wrap(db);
  return {
    db: {
      ...db,
      ...base,
      transaction: (fn) => {
        n += 2;
        return db.transaction((tx) => fn(wrap(tx)));
      },
    },
    count: () => n,
  };
}

/** The model with a stopwatch: the time spent inside its calls is the model's, not the product's. */
function timedModel(model: ContentModel): { model: ContentModel; spentMs: () => number } {
  let spent = 0;
  const time =
    <I, O>(fn: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      const started = performance.now();
      try {
        return await fn(input);
      } finally {
        spent += performance.now() - started;
      }
    };
  return {
    model: {
      provider: model.provider,
      planCall: (service, input) => model.planCall(service, input),
      writeHook: time((input) => model.writeHook(input)),
      writeBody: time((input) => model.writeBody(input)),
    },
    spentMs: () => spent,
  };
}

interface Run {
  totalMs: number[];
  modelMs: number[];
  statements: number[];
  attempts: number[];
}

async function runPosts(
  kind: DatabaseKind,
  posts: number,
  env: Record<string, string>,
  model?: ContentModel,
  /** For a remote model: how many calls it has answered so far (each took MODEL_MS). */
  remoteCalls?: () => number,
) {
  const testDb = await createTestDatabase(kind);
  const counted = countStatements(testDb.db);
  const timed = model ? timedModel(model) : null;
  const config = loadConfig({ LOG_LEVEL: 'silent', LLM_CACHE_TTL_SECONDS: '0', ...env });
  const deps = await createDeps(config, {
    db: counted.db,
    logger: pino({ level: 'silent' }),
    ...(timed ? { model: timed.model } : {}),
  });
  const run: Run = { totalMs: [], modelMs: [], statements: [], attempts: [] };
  try {
    for (let i = 0; i < posts; i++) {
      // A persona per post: a post is never a duplicate of the one before, so each takes one attempt
      // unless the quality gate or the guardrails send it back.
      const persona = await insertPersona(deps.db, personaFields(), 'user');
      const { task } = await deps.tasks.createTask({ persona_id: persona.id, topic: `pricing experiment ${i}` });
      const spent = () => timed?.spentMs() ?? (remoteCalls ? remoteCalls() * MODEL_MS : 0);
      const [statementsBefore, modelBefore] = [counted.count(), spent()];
      const started = performance.now();
      await deps.worker.runTask(task.id, { jobId: `bench-${i}`, retryCount: 0, isFinalAttempt: true });
      const totalMs = performance.now() - started;
      const [row] = await deps.db.query<{ attempts: number }>('SELECT attempts FROM posts WHERE task_id = $1', [
        task.id,
      ]);
      run.totalMs.push(totalMs);
      run.modelMs.push(spent() - modelBefore);
      run.statements.push(counted.count() - statementsBefore);
      run.attempts.push(row?.attempts ?? 0);
    }
  } finally {
    await deps.close();
    await testDb.drop().catch(() => {});
  }
  return run;
}

/** Hook and body texts from the offline composer, served in order by the fake model server. */
async function cannedTexts(count: number): Promise<string[]> {
  const composer = createOfflineComposer();
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const persona = personaFields();
    const input = { persona, topic: `pricing experiment ${i}`, hookPattern: 'number_list' as const, seed: 1000 + i };
    const hook = (await composer.writeHook(input)).text;
    texts.push(hook, (await composer.writeBody({ ...input, hook, maxChars: 480 - hook.length })).text);
  }
  return texts;
}

const rows: string[] = [];
for (const kind of DATABASE_KINDS) {
  const env: Record<string, string> = {};
  await runPosts(kind, WARMUP, env, createOfflineComposer());
  const offline = await runPosts(kind, POSTS, env, createOfflineComposer());
  const overhead = offline.totalMs.map((total, i) => total - offline.modelMs[i]!);
  const overheadMedian = median(overhead);
  rows.push(
    [
      kind.padEnd(8),
      'offline composer'.padEnd(20),
      median(offline.totalMs).toFixed(1).padStart(8),
      median(offline.modelMs).toFixed(1).padStart(8),
      overheadMedian.toFixed(1).padStart(11),
      p95(overhead).toFixed(1).padStart(8),
      String(median(offline.statements)).padStart(5),
      String(median(offline.attempts)).padStart(8),
      `overhead ≤ ${TARGET_OVERHEAD_MS} ms`.padEnd(18),
      overheadMedian <= TARGET_OVERHEAD_MS ? 'met' : 'NOT met',
    ].join(' | '),
  );

  const server = await startFakeOpenAiServer();
  const texts = await cannedTexts(SLOW_POSTS * 4);
  let next = 0;
  server.respondWith(() => ({ ...chatCompletion(texts[next++ % texts.length]!), delayMs: MODEL_MS }));
  const slow = await runPosts(
    kind,
    SLOW_POSTS,
    { ...env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench' },
    undefined,
    () => server.requests.length,
  );
  await server.close();
  const slowOverhead = slow.totalMs.map((total, i) => total - slow.modelMs[i]!);
  // A post whose draft passes at once makes two calls: that is the post the target is about.
  const twoCallPost = MODEL_MS * 2 + median(slowOverhead);
  rows.push(
    [
      kind.padEnd(8),
      `${MODEL_MS} ms model`.padEnd(20),
      median(slow.totalMs).toFixed(1).padStart(8),
      median(slow.modelMs).toFixed(1).padStart(8),
      median(slowOverhead).toFixed(1).padStart(11),
      p95(slowOverhead).toFixed(1).padStart(8),
      String(median(slow.statements)).padStart(5),
      String(median(slow.attempts)).padStart(8),
      `2-call post ≤ ${TARGET_SLOW_POST_MS} ms`.padEnd(18),
      `${twoCallPost <= TARGET_SLOW_POST_MS ? 'met' : 'NOT met'} (${twoCallPost.toFixed(0)} ms)`,
    ].join(' | '),
  );
}

console.log(
  `${POSTS} posts with the offline composer (after ${WARMUP} warm-up), ${SLOW_POSTS} with a ${MODEL_MS} ms model; medians\n`,
);
console.log(
  'database | model                | post ms  | model ms | overhead ms | p95 ms   | SQL   | attempts | target             | met',
);
for (const row of rows) console.log(row);
