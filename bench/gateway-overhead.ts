// The model gateway's own cost per call: the same local chat-completions server is called
// directly with the SDK and through the gateway, interleaved, so the model's time cancels out.
// Run: npx tsx bench/gateway-overhead.ts [calls]
import { migrate } from '../src/db/migrate.ts';
import { createPgliteDatabase } from '../src/db/pglite-database.ts';
import { createChatGateway, type ChatRequest } from '../src/llm/chat-gateway.ts';
import { createProviderBreaker } from '../src/llm/circuit-breaker.ts';
import { createOpenAiClient } from '../src/llm/openai-client.ts';
import { createPricing } from '../src/llm/pricing.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { startFakeOpenAiServer } from '../test/support/fake-openai-server.ts';

const CALLS = Number(process.argv[2] ?? 300);
const WARMUP = 30;

const server = await startFakeOpenAiServer();
const db = await createPgliteDatabase();
await migrate(db);
const metrics = createMetrics();
const client = createOpenAiClient({ baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 });
const gateway = (cacheTtlSeconds: number) =>
  createChatGateway({
    client,
    db,
    metrics,
    pricing: createPricing({}),
    breaker: createProviderBreaker({ dependency: 'llm:bench', failures: 5, halfOpenSeconds: 30, metrics }),
    cacheTtlSeconds,
  });
const withoutCache = gateway(0);
const withCache = gateway(3600);

let seed = 0;
const request = (): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You write short Threads posts as a dry, numbers-first SaaS founder.' },
    { role: 'user', content: 'Write one hook about pricing experiments.' },
  ],
  // A new seed each call: the cached variant measures the miss path (look-up and store).
  params: { temperature: 0.9, seed: seed++, max_tokens: 80 },
});

const variants = {
  'direct SDK': async () => {
    const r = request();
    await client.chat.completions.create({ model: r.model, messages: r.messages, ...r.params });
  },
  'gateway, cache off': () => withoutCache.complete(request()),
  'gateway, cache miss (PGlite)': () => withCache.complete(request()),
};

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, [] as number[]]));
for (let i = 0; i < WARMUP + CALLS; i++) {
  for (const [name, run] of Object.entries(variants)) {
    const started = performance.now();
    await run();
    if (i >= WARMUP) samples[name]!.push(performance.now() - started);
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
const base = percentile(samples['direct SDK']!, 0.5);
console.log(`${CALLS} calls each, interleaved, after ${WARMUP} warm-up rounds; local server on 127.0.0.1\n`);
console.log('variant                          median ms   p95 ms   overhead ms (median)   ratio to direct');
for (const [name, xs] of Object.entries(samples)) {
  const median = percentile(xs, 0.5);
  console.log(
    `${name.padEnd(32)} ${median.toFixed(3).padStart(9)} ${percentile(xs, 0.95).toFixed(3).padStart(8)} ${(median - base)
      .toFixed(3)
      .padStart(22)} ${(median / base).toFixed(2).padStart(17)}`,
  );
}
await server.close();
await db.close();
