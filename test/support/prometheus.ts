/**
 * Test support for the monitoring files in deploy/: Debian's promtool and Prometheus as
 * child processes, and the product doing enough real work that every metric of the contract
 * (shared/design/metrics.md) has samples to show.
 */
import { linkSimulatorAccounts } from '../../src/app/roles/link-simulator-accounts.ts';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { startWorker } from '../../src/app/roles/roles.ts';
import { startThreadsSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { freePort, waitFor } from './child-process.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server.ts';
import { startTestApp, type TestApp } from './test-app.ts';

export const DEPLOY_DIR = path.resolve('deploy');
export const DASHBOARDS_DIR = path.join(DEPLOY_DIR, 'grafana', 'dashboards');
/** The alert rules Prometheus loads (compose: deploy/prometheus/prometheus.yml). */
export const RULE_FILES = [path.join(DEPLOY_DIR, 'prometheus', 'alerts.yml')];
/** Their `promtool test rules` cases. */
export const RULE_TEST_FILES = fs
  .readdirSync(path.join(DEPLOY_DIR, 'prometheus', 'tests'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => path.join(DEPLOY_DIR, 'prometheus', 'tests', f));

/** The alert names of the rule files. */
export function alertNames(): string[] {
  return RULE_FILES.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/^\s*- alert:\s*(\S+)/gm)].map((m) => m[1]!),
  );
}

export interface DashboardTarget {
  refId: string;
  expr: string;
  datasource: { type: string; uid: string };
}
export interface DashboardPanel {
  title: string;
  type: string;
  datasource: { type: string; uid: string };
  targets: DashboardTarget[];
  fieldConfig: { defaults: { thresholds: { steps: { color: string; value: number | null }[] } } };
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: DashboardPanel[];
}

/** The provisioned dashboards, as Grafana reads them. */
export function readDashboards(): Dashboard[] {
  return fs
    .readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(DASHBOARDS_DIR, f), 'utf8')) as Dashboard);
}

/** The path of a Prometheus tool, or a failure that says how to get it (never a silent skip). */
export function requireTool(name: 'prometheus' | 'promtool'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${name} is not installed (not on PATH): these tests need Debian's prometheus package, ` +
      `which gives prometheus and promtool: apt-get install -y prometheus (.ci/run installs it).`,
  );
}

export function runTool(tool: string, args: string[], input?: string) {
  const result = spawnSync(tool, args, { encoding: 'utf8', input, timeout: 30_000 });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface PromResponse<T = unknown> {
  status: 'success' | 'error';
  data: T;
  errorType?: string;
  error?: string;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromRule {
  name: string;
  query: string;
  health: string;
  lastError?: string;
  type: string;
}

export interface RunningPrometheus {
  url: string;
  /** Points the scrape job at host:port (file-based discovery: picked up within a second). */
  scrape(target: string): void;
  query(expr: string): Promise<PromResponse<{ resultType: string; result: VectorSample[] }>>;
  rules(): Promise<PromResponse<{ groups: { name: string; rules: PromRule[] }[] }>>;
  output(): string;
  close(): Promise<void>;
}

/**
 * Debian's Prometheus as a child process on a free port (never the package's :9090), with a
 * throwaway config and TSDB and the repository's alert rules, scraping every second what
 * `scrape(target)` names (so it can start while the product does) and evaluating every second.
 */
export async function startPrometheus(options: { job?: string } = {}): Promise<RunningPrometheus> {
  const binary = requireTool('prometheus');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-prometheus-'));
  const targetsFile = path.join(dir, 'targets.json');
  const writeTargets = (targets: string[]) => {
    fs.writeFileSync(`${targetsFile}.tmp`, JSON.stringify([{ targets, labels: {} }]));
    fs.renameSync(`${targetsFile}.tmp`, targetsFile);
  };
  writeTargets([]);
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'rule_files:',
    ...RULE_FILES.map((f) => `  - ${JSON.stringify(f)}`),
    'scrape_configs:',
    `  - job_name: ${options.job ?? 'threads-agent'}`,
    '    file_sd_configs:',
    `      - files: [${JSON.stringify(targetsFile)}]`,
    '        refresh_interval: 1s',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    }, 20_000);
  } catch (error) {
    await close();
    throw new Error(
      `prometheus did not become ready: ${error instanceof Error ? error.message : String(error)}\n${output}`,
    );
  }
  const get = async <T>(pathAndQuery: string): Promise<PromResponse<T>> =>
    (await fetch(`${url}${pathAndQuery}`)).json() as Promise<PromResponse<T>>;
  return {
    url,
    scrape: (target) => writeTargets([target]),
    query: (expr) => get(`/api/v1/query?query=${encodeURIComponent(expr)}`),
    rules: () => get('/api/v1/rules?type=alert'),
    output: () => output,
    close,
  };
}

/**
 * The product on the OpenAI-compatible gateway (a local fake provider), so the model cache,
 * price table and circuit breaker report too. The worker starts in generateObservedWork.
 */
export async function startObservedApp(): Promise<{
  t: TestApp;
  provider: FakeOpenAiServer;
  sim: RunningSimulator;
  close(): Promise<void>;
}> {
  const provider = await startFakeOpenAiServer();
  const sim = await startThreadsSimulator({
    seed: 5,
    appId: 'observed-app',
    appSecret: 'observed-secret',
    containerReadyMs: 200,
    port: 0,
    host: '127.0.0.1',
  });
  provider.respondWith((body) => {
    const prompt = String(body.messages?.at(-1)?.content ?? '');
    const text = prompt.includes('hook line')
      ? 'Why does your emergency fund keep shrinking every single month?'
      : 'Most people never name the leak. Write down three recurring costs you forgot about, cancel one today, ' +
        'and move that amount into savings the same afternoon. Small, boring and automatic beats a heroic budget.';
    return chatCompletion(text, { model: body.model, promptTokens: 400, completionTokens: 60 });
  });
  const t = await startTestApp('pglite', {
    worker: false,
    // One job at a time: a later task runs after the first has filled the cache.
    env: {
      OPENAI_BASE_URL: provider.url,
      OPENAI_API_KEY: 'sk-test-observed',
      LLM_MAX_RETRIES: '0',
      WORKER_CONCURRENCY: '1',
      THREADS_API_BASE_URL: sim.url,
      TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32),
    },
  });
  return {
    t,
    provider,
    sim,
    async close() {
      await t.close();
      await provider.close();
      await sim.close();
    },
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Approves the persona's accepted draft and lets the scheduler and the worker publish it to the simulator. */
async function publishOneDraft(t: TestApp, persona: Persona, simUrl: string): Promise<void> {
  await linkSimulatorAccounts(t.deps, simUrl);
  const [draft] = await t.deps.db.query<{ id: string }>(
    `SELECT id FROM posts WHERE persona_id = $1 AND status = 'draft' LIMIT 1`,
    [persona.id],
  );
  if (!draft) throw new Error('no accepted draft to publish');
  const approved = await t.api(`/v1/posts/${draft.id}/approve`, { method: 'POST' });
  if (approved.status !== 200) throw new Error(`approve answered ${approved.status}: ${await approved.text()}`);
  await t.deps.publishing.schedulePosts();
  await waitFor(async () => {
    const post = (await (await t.api(`/v1/posts/${draft.id}`)).json()) as { status: string };
    return post.status === 'published' ? true : undefined;
  }, 20_000);
}

/**
 * An insight history the collectors would take weeks to gather, on a persona of its own whose
 * account is paused (so no collector run during the test changes it): a published post with
 * viral insights and follower growth, so the KPI panels have values.
 */
async function seedThreadsHistory(t: TestApp): Promise<Persona> {
  const db = t.deps.db;
  const persona = await t.createPersona();
  const [post] = await db.query<{ id: string }>(
    `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
     VALUES ($1, 'published', 'question', 'h', 'b', 'h b', $2, $3) RETURNING id`,
    [persona.id, ago(2 * DAY), String(Date.now())],
  );
  await db.query(
    `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
     VALUES ($1, $2, 2000, 150, 30, 10, 5, 5)`,
    [post!.id, ago(DAY)],
  );
  const [account] = await db.query<{ id: string }>(
    `INSERT INTO threads_accounts (persona_id, threads_user_id, access_token_encrypted, status, status_reason)
     VALUES ($1, $2, 'never read', 'paused', 'history only') RETURNING id`,
    [persona.id, String(Date.now())],
  );
  for (const [daysAgo, followers] of [
    [40, 1000],
    [1, 1250],
  ] as const) {
    await db.query(
      `INSERT INTO follower_snapshots (account_id, persona_id, captured_on, captured_at, followers_count)
       VALUES ($1, $2, ($3::timestamptz AT TIME ZONE 'UTC')::date, $3, $4)`,
      [account!.id, persona.id, ago(daysAgo * DAY), followers],
    );
  }
  return persona;
}

/**
 * Forty published posts of last week with their 24-hour snapshots and logged choices (every fifth in
 * the control group), then the learning loop's own update and retraining: the lift and predictor gauges
 * get values.
 */
async function seedLearningHistory(t: TestApp, persona: Persona): Promise<void> {
  const db = t.deps.db;
  for (let i = 0; i < 40; i++) {
    const question = i % 2 === 0;
    const text = question ? `Post ${i} on savings.\n\nWhat would you try?` : `Post ${i} on savings.\n\nThat is all.`;
    // Older than the KPIs' 7-day window, so the engagement gauges keep their own fixture.
    const publishedAt = ago(8 * DAY + (40 - i) * 2 * HOUR);
    const [post] = await db.query<{ id: string }>(
      `INSERT INTO posts (persona_id, status, hook_pattern, hook, body, text, published_at, threads_media_id)
       VALUES ($1, 'published', 'question', 'h', 'b', $2, $3, $4) RETURNING id`,
      [persona.id, text, publishedAt, `learning-${i}-${Date.now()}`],
    );
    await db.query(
      `INSERT INTO post_insight_snapshots (post_id, captured_at, views, likes, replies, reposts, quotes, shares)
       VALUES ($1, $2::timestamptz + interval '24 hours', 1000, $3, 0, 0, 0, 0)`,
      [post!.id, publishedAt, question ? 70 + (i % 7) : 40 + (i % 5)],
    );
    await db.query(
      `INSERT INTO learning_decisions (post_id, persona_id, choice, arm, probability, policy_version, mode, decided_at)
       VALUES ($1, $2, 'hook_pattern', 'question', 0.5, 'test', $3, $4)`,
      [post!.id, persona.id, i % 5 === 0 ? 'control' : 'exploit', publishedAt],
    );
  }
  await t.deps.learning.update();
  await t.deps.worker.trainPredictor();
}

async function finished(t: TestApp, id: string): Promise<string | undefined> {
  const task = (await (await t.api(`/v1/tasks/${id}`)).json()) as { status: string };
  return ['succeeded', 'failed'].includes(task.status) ? task.status : undefined;
}

/**
 * Moves every metric of the contract: a task that ends dead-lettered, then three identical
 * generation tasks one after another through HTTP (the later ones are answered from the model
 * cache and their drafts are duplicates), one draft approved and published to the Threads
 * simulator, an insight history for the KPI gauges, one revenue event, and requests answering
 * 2xx and 4xx. `pauseMs` between steps lets a scraper see each counter
 * before it moves again (a series first seen at 1 has no rate).
 */
export async function generateObservedWork(
  t: TestApp,
  simUrl: string,
  options: { pauseMs?: number } = {},
): Promise<{ persona: Persona; historic: Persona; taskIds: string[] }> {
  const pause = () => new Promise((r) => setTimeout(r, options.pauseMs ?? 0));
  const createTask = async (personaId: string) => {
    const res = await t.api('/v1/tasks', {
      method: 'POST',
      body: JSON.stringify({ persona_id: personaId, topic: 'emergency funds', variants: 1 }),
    });
    if (res.status !== 202) throw new Error(`POST /v1/tasks answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  // One seed for every task: a later run sends the same model requests, which the cache answers.
  await t.deps.db.exec(`
    CREATE FUNCTION test_fixed_seed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.seed := 4242; RETURN NEW; END $$;
    CREATE TRIGGER test_fixed_seed BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION test_fixed_seed();`);

  // Its persona is deleted before a worker takes it: the run fails every retry and is dead-lettered.
  const doomed = await t.createPersona();
  const taskIds = [await createTask(doomed.id)];
  await t.api(`/v1/personas/${doomed.id}`, { method: 'DELETE' });
  await startWorker(t.deps);
  await waitFor(() => finished(t, taskIds[0]!), 20_000);
  await waitFor(async () => {
    const counts = await t.deps.queue.countJobs();
    return counts.some((c) => c.state === 'dead_letter' && c.count > 0) ? true : undefined;
  }, 15_000);

  const persona = await t.createPersona();
  for (let i = 0; i < 3; i++) {
    await pause();
    const id = await createTask(persona.id);
    taskIds.push(id);
    await waitFor(() => finished(t, id), 20_000);
  }
  await pause();

  await publishOneDraft(t, persona, simUrl);
  await pause();
  const historic = await seedThreadsHistory(t);
  await seedLearningHistory(t, historic);
  const revenue = await t.api('/v1/revenue/events', {
    method: 'POST',
    body: JSON.stringify({
      external_id: `sub-${randomUUID()}`,
      stream: 'subscription',
      type: 'payment',
      amount: 49,
      currency: 'USD',
      recurring: true,
      subscription_id: `sub-${randomUUID()}`,
      billing_period: 'month',
    }),
  });
  if (revenue.status !== 201)
    throw new Error(`POST /v1/revenue/events answered ${revenue.status}: ${await revenue.text()}`);
  await t.api('/v1/personas');
  await t.api('/v1/kpis');
  await t.api(`/v1/tasks/${randomUUID()}`); // 404
  return { persona, historic, taskIds };
}
