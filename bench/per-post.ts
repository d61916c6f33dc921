// What one post costs beside its model: the task runner and the whole workflow (events, budget,
// llm_calls rows, scoring, dedup, guardrails, persist, finish) with the model's own time taken out,
// measured in the same run by timing every model call. Then whole posts through the real client
// against a local chat-completions server that answers in 800 ms.
// Run: npx tsx bench/per-post.ts [posts]   (with DATABASE_URL set, also on that server)
import pino from 'pino';
import { createDeps } from '../src/app/create-deps.ts';
import { createOfflineComposer } from '../src/generation/index.ts';
import type { ContentModel } from '../src/generation/model/content-model.ts';
import { checkTopicLanguage } from '../src/generation/writing/language.ts';
import type { HookPattern, PersonaFields } from '../src/personas/index.ts';
import { loadPersonaLibrary } from '../src/personas/library.ts';
import type { Database, Queryable } from '../src/platform/db/database.ts';
import { loadConfig } from '../src/platform/config.ts';
import { insertPersona } from '../src/personas/persona.repository.ts';
import { chatCompletion, startFakeOpenAiServer } from '../test/support/fake-openai-server.ts';
import { DATABASE_KINDS, createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { median, numberArg, percentile, reportBench, type BenchRow } from './bench-result.ts';

const POSTS = numberArg(40);
const WARMUP = 5;
const SLOW_POSTS = 6;
const MODEL_MS = 800;
const TARGET_OVERHEAD_MS = 10;
const TARGET_SLOW_POST_MS = 2000;

const p95 = (xs: number[]) => percentile(xs, 0.95);

/**
 * The posts a normal day brings: each for another library persona (its own niche and material), on
 * one of its own topics, so a draft is neither a duplicate of another persona's nor refused for a
 * foreign-looking topic; the gate judges it as it would any post.
 */
const LIBRARY = loadPersonaLibrary().map((persona) => ({
  persona,
  topic: persona.topics.find((topic) => checkTopicLanguage(topic, persona.niche).ok) ?? persona.topics[0]!,
}));

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
  /** How many posts the gate (or the guardrails, or the duplicate check) refused after every attempt. */
  rejected: number;
}

interface Posts {
  /** The library entry a post is for, in order; a remote model writes for it. */
  onPost?: (entry: (typeof LIBRARY)[number]) => void;
  model?: ContentModel;
  /** For a remote model: how many calls it has answered so far (each took MODEL_MS). */
  remoteCalls?: () => number;
}

async function runPosts(kind: DatabaseKind, posts: number, env: Record<string, string>, options: Posts = {}) {
  const testDb = await createTestDatabase(kind);
  const counted = countStatements(testDb.db);
  const timed = options.model ? timedModel(options.model) : null;
  const config = loadConfig({ LOG_LEVEL: 'silent', LLM_CACHE_TTL_SECONDS: '0', ...env });
  const deps = await createDeps(config, {
    db: counted.db,
    logger: pino({ level: 'silent' }),
    ...(timed ? { model: timed.model } : {}),
  });
  const run: Run = { totalMs: [], modelMs: [], statements: [], attempts: [], rejected: 0 };
  const spent = () => timed?.spentMs() ?? (options.remoteCalls ? options.remoteCalls() * MODEL_MS : 0);
  try {
    for (let i = 0; i < posts; i++) {
      const entry = LIBRARY[i % LIBRARY.length]!;
      options.onPost?.(entry);
      const persona = await insertPersona(deps.db, entry.persona, 'user');
      const { task } = await deps.tasks.createTask({ persona_id: persona.id, topic: entry.topic });
      const [statementsBefore, modelBefore] = [counted.count(), spent()];
      const started = performance.now();
      await deps.worker.runTask(task.id, { jobId: `bench-${i}`, retryCount: 0, isFinalAttempt: true }).catch(() => {}); // a task whose every draft was refused fails; it is counted below
      const totalMs = performance.now() - started;
      const [row] = await deps.db.query<{ attempts: number; status: string }>(
        'SELECT attempts, status FROM posts WHERE task_id = $1',
        [task.id],
      );
      run.totalMs.push(totalMs);
      run.modelMs.push(spent() - modelBefore);
      run.statements.push(counted.count() - statementsBefore);
      run.attempts.push(row?.attempts ?? 0);
      if (row?.status === 'rejected') run.rejected += 1;
    }
  } finally {
    await deps.close();
    await testDb.drop().catch(() => {});
  }
  return run;
}

/**
 * A chat-completions model that writes what the offline composer would for the post being written:
 * the hook for a hook request (topic and pattern read from the prompt, the request's seed), the body
 * continuing the hook the request quotes. So its drafts pass the gate as often as the composer's.
 */
function composingResponder(current: () => PersonaFields) {
  const composer = createOfflineComposer();
  return async (body: { messages: { content: string }[]; seed?: number }) => {
    const prompt = body.messages.at(-1)!.content;
    const field = (pattern: RegExp) => pattern.exec(prompt)?.[1] ?? '';
    const input = {
      persona: current(),
      topic: field(/Threads post about: (.*)/),
      hookPattern: (field(/Hook pattern "(\w+)"/) || 'question') as HookPattern,
      seed: body.seed ?? 1,
    };
    const hook = field(/already written \(do not repeat it\): (.*)/);
    const text = hook
      ? (await composer.writeBody({ ...input, hook, maxChars: Number(field(/at most (\d+) characters/)) })).text
      : (await composer.writeHook(input)).text;
    return { ...chatCompletion(text), delayMs: MODEL_MS };
  };
}

const rowsFor = (kind: DatabaseKind, run: Run, part: string) => {
  const overhead = run.totalMs.map((total, i) => total - run.modelMs[i]!);
  return {
    overhead,
    line: (target: string, met: string) =>
      [
        kind.padEnd(8),
        part.padEnd(20),
        median(run.totalMs).toFixed(1).padStart(8),
        median(run.modelMs).toFixed(1).padStart(8),
        median(overhead).toFixed(1).padStart(11),
        p95(overhead).toFixed(1).padStart(8),
        String(median(run.statements)).padStart(5),
        `${median(run.attempts)} (${run.rejected} refused)`.padStart(14),
        target.padEnd(20),
        met,
      ].join(' | '),
  };
};

const lines: string[] = [];
for (const kind of DATABASE_KINDS) {
  const rows: BenchRow[] = [];
  await runPosts(kind, WARMUP, {}, { model: createOfflineComposer() });
  const offline = await runPosts(kind, POSTS, {}, { model: createOfflineComposer() });
  const offlineRows = rowsFor(kind, offline, 'offline composer');
  const overheadMedian = median(offlineRows.overhead);
  const overheadMet = overheadMedian <= TARGET_OVERHEAD_MS;
  lines.push(offlineRows.line(`overhead ≤ ${TARGET_OVERHEAD_MS} ms`, overheadMet ? 'met' : 'NOT met'));
  rows.push({
    figure: `overhead beside the model per post, offline composer, ${kind} (median of ${POSTS}; ${median(offline.statements)} SQL, ${median(offline.attempts)} attempt(s))`,
    value: Number(overheadMedian.toFixed(1)),
    unit: 'ms',
    baseline: `model ${median(offline.modelMs).toFixed(1)} ms`,
    ratio: Number((median(offline.totalMs) / Math.max(0.001, median(offline.modelMs))).toFixed(2)),
    target: `≤ ${TARGET_OVERHEAD_MS} ms`,
    met: overheadMet,
  });

  const server = await startFakeOpenAiServer();
  let current = LIBRARY[0]!.persona;
  server.respondWith(composingResponder(() => current));
  const slow = await runPosts(
    kind,
    SLOW_POSTS,
    { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench' },
    {
      onPost: (entry) => {
        current = entry.persona;
      },
      remoteCalls: () => server.requests.length,
    },
  );
  await server.close();
  const slowRows = rowsFor(kind, slow, `${MODEL_MS} ms model`);
  const postMedian = median(slow.totalMs);
  const calls = median(slow.modelMs) / MODEL_MS;
  const slowMet = postMedian <= TARGET_SLOW_POST_MS;
  lines.push(
    slowRows.line(`post ≤ ${TARGET_SLOW_POST_MS} ms`, `${slowMet ? 'met' : 'NOT met'} (${calls} calls a post)`),
  );
  rows.push({
    figure: `post with an ${MODEL_MS} ms model, ${kind} (median of ${SLOW_POSTS}; ${calls} calls, ${median(slow.attempts)} attempt(s))`,
    value: Number(postMedian.toFixed(0)),
    unit: 'ms',
    baseline: `model ${median(slow.modelMs).toFixed(0)} ms`,
    ratio: Number((postMedian / Math.max(1, median(slow.modelMs))).toFixed(3)),
    target: `≤ ${TARGET_SLOW_POST_MS} ms`,
    met: slowMet,
  });
  reportBench('per-post', rows);
}

console.error(
  `${POSTS} posts with the offline composer (after ${WARMUP} warm-up), ${SLOW_POSTS} with a ${MODEL_MS} ms model; medians\n`,
);
console.error(
  'database | model                | post ms  | model ms | overhead ms | p95 ms   | SQL   | attempts       | target               | met',
);
for (const line of lines) console.error(line);
