// The model gateway's own cost per call: the same local chat-completions server is called
// directly with the SDK and through the gateway, interleaved, so the model's time cancels out.
// Run: npx tsx bench/gateway-overhead.ts [calls]   (with DATABASE_URL set, also on that server)
import type { Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createBudgets } from '../src/platform/llm/budgets.ts';
import { createChatGateway, type ChatRequest } from '../src/platform/llm/chat-gateway.ts';
import { createProviderBreaker } from '../src/platform/llm/circuit-breaker.ts';
import type { WriteHookInput } from '../src/generation/model/content-model.ts';
import { createOpenAiClient } from '../src/platform/llm/openai-client.ts';
import { createOpenAiCompatibleModel } from '../src/generation/model/openai-compatible-model.ts';
import { createPricing } from '../src/platform/llm/pricing.ts';
import { createMetrics } from '../src/platform/observability/metrics.ts';
import { insertPersona } from '../src/personas/persona.repository.ts';
import type { Draft } from '../src/generation/workflow/draft-state.ts';
import { meteredCalls } from '../src/generation/workflow/metered-call.ts';
import { insertTask } from '../src/generation/tasks/task.repository.ts';
import { personaFields, taskFields } from '../test/support/factories.ts';
import { startFakeOpenAiServer } from '../test/support/fake-openai-server.ts';
import { DATABASE_KINDS, createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { numberArg, reportBench, type BenchRow } from './bench-result.ts';

const CALLS = numberArg(300);
const WARMUP = 30;

const server = await startFakeOpenAiServer();
const client = createOpenAiClient({ baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 });

let seed = 0;
const request = (): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You write short Threads posts as a dry, numbers-first SaaS founder.' },
    { role: 'user', content: 'Write one hook about pricing experiments.' },
  ],
  // A new seed each call: with the cache on, every call takes the miss path (a look-up and a store).
  params: { temperature: 0.9, seed: seed++, max_tokens: 80 },
});

async function variantsOn(db: Database): Promise<Record<string, () => Promise<unknown>>> {
  const metrics = createMetrics();
  const gateway = (cacheTtlSeconds: number) =>
    createChatGateway({
      client,
      db,
      metrics,
      pricing: createPricing({}),
      breaker: createProviderBreaker({ host: 'bench', failures: 5, halfOpenSeconds: 30, metrics }),
      cacheTtlSeconds,
      timeoutMs: 10_000,
      maxRetries: 2,
    });
  const withoutCache = gateway(0);
  const withCache = gateway(3600);

  // What a workflow node pays: the budget check, the gateway, and the llm_calls row with its metrics.
  const persona = await insertPersona(db, personaFields({ daily_budget_usd: 1_000_000 }), 'user');
  const task = await insertTask(db, taskFields(persona.id));
  const model = createOpenAiCompatibleModel({ gateway: withCache, hookModel: 'gpt-4o', bodyModel: 'gpt-4o-mini' });
  const metered = { db, model, metrics, reserveBudget: createBudgets({ db, globalDailyUsd: 1_000_000 }) };
  const draft = { persona, taskId: task.id } as Draft;

  return {
    'direct SDK': () => {
      const r = request();
      return client.chat.completions.create({ model: r.model, messages: r.messages, ...r.params });
    },
    'gateway, cache off': () => withoutCache.complete(request()),
    'gateway, cache miss': () => withCache.complete(request()),
    'metered call, cache miss': () => {
      const input: WriteHookInput = { persona, topic: 'pricing experiments', hookPattern: 'question', seed: seed++ };
      return meteredCalls(metered, draft, 'hook', [input], (one) => model.writeHook(one));
    },
  };
}

function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

async function benchOn(kind: DatabaseKind): Promise<BenchRow[]> {
  const testDb = await createTestDatabase(kind);
  try {
    await migrate(testDb.db);
    const variants = await variantsOn(testDb.db);
    const entries = Object.entries(variants);
    const samples = Object.fromEntries(entries.map(([name]) => [name, [] as number[]]));
    for (let i = 0; i < WARMUP + CALLS; i++) {
      // A new order each round: a variant that always ran after the heaviest one would pay for its garbage.
      for (const [name, run] of shuffled(entries)) {
        const started = performance.now();
        await run();
        if (i >= WARMUP) samples[name]!.push(performance.now() - started);
      }
    }
    const base = percentile(samples['direct SDK']!, 0.5);
    console.log(`\n${kind === 'pglite' ? 'in-memory PGlite' : 'PostgreSQL server (DATABASE_URL)'}:`);
    console.log('variant                     median ms   p95 ms   overhead ms (median)   ratio to direct');
    for (const [name, xs] of Object.entries(samples)) {
      const median = percentile(xs, 0.5);
      console.log(
        `${name.padEnd(26)} ${median.toFixed(3).padStart(10)} ${percentile(xs, 0.95).toFixed(3).padStart(8)} ${(
          median - base
        )
          .toFixed(3)
          .padStart(22)} ${(median / base).toFixed(2).padStart(17)}`,
      );
    }
    // The figure is the overhead itself; the baseline is the direct SDK call it is added to.
    return Object.entries(samples)
      .filter(([name]) => name !== 'direct SDK')
      .map(([name, xs]) => ({
        figure: `${name} overhead per call, ${kind}`,
        value: percentile(xs, 0.5) - base,
        unit: 'ms',
        baseline: `direct SDK ${base.toFixed(2)} ms`,
        ratio: percentile(xs, 0.5) / base,
        target: null,
        met: null,
      }));
  } finally {
    await testDb.drop();
  }
}

console.log(`${CALLS} calls per variant, interleaved, after ${WARMUP} warm-up rounds; local server on 127.0.0.1`);
const rows: BenchRow[] = [];
for (const kind of DATABASE_KINDS) rows.push(...(await benchOn(kind)));
reportBench('gateway-overhead', rows);
await server.close();
