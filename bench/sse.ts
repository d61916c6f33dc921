// Open task event streams against the API's health check: /health latency with no streams and with
// 1,000 open (50 tokens × 20, the default cap), measured in the same run, while events keep arriving.
// Run: npx tsx bench/sse.ts [streams]   (with DATABASE_URL set, also on that server)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pino from 'pino';
import { createDeps } from '../src/app/create-deps.ts';
import { buildApiServer } from '../src/app/http/api-server.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { loadConfig } from '../src/platform/config.ts';
import { insertPersona } from '../src/personas/persona.repository.ts';
import { personaFields } from '../test/support/factories.ts';
import { DATABASE_KINDS, createTestDatabase } from '../test/support/test-database.ts';
import { type BenchRow, numberArg, reportBench } from './bench-result.ts';

const STREAMS = numberArg(1000);
const PER_TOKEN = 20;
const TASKS = 100;
const SECONDS = 5;
const TARGET_P95_MS = 100;

async function healthP95(url: string): Promise<{ p95: number; rps: number; errors: number }> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${url}/health`, connections: 10, duration: SECONDS }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return {
    p95: latencies[Math.floor(latencies.length * 0.95)] ?? Number.NaN,
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Opens one stream and keeps it; resolves once the server has answered 200 and sent the preamble. */
function openStream(url: string, token: string, received: { events: number }): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => {
        received.events += chunk.toString().split('\nevent: ').length - 1;
      });
      resolve(request);
    });
    request.on('error', reject);
  });
}

const rows: string[] = [];
const results: BenchRow[] = [];
for (const kind of DATABASE_KINDS) {
  const testDb = await createTestDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const deps = await createDeps(config, { db: testDb.db, logger: pino({ level: 'silent' }) });
  const app = await buildApiServer(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const persona = await insertPersona(deps.db, personaFields(), 'user');
  const tasks: string[] = [];
  for (let i = 0; i < TASKS; i++) tasks.push((await deps.tasks.createTask({ persona_id: persona.id })).task.id);
  const tokens: string[] = [];
  for (let i = 0; i < Math.ceil(STREAMS / PER_TOKEN); i++) tokens.push(await createApiToken(deps.db, `sse-${i}`));

  await healthP95(url);
  const idle = await healthP95(url);

  const received = { events: 0 };
  const streams: http.ClientRequest[] = [];
  for (let i = 0; i < STREAMS; i++) {
    streams.push(await openStream(`${url}/v1/tasks/${tasks[i % TASKS]}/events`, tokens[i % tokens.length]!, received));
  }
  // The cap holds with every token at it: one more stream is refused.
  const refused = await fetch(`${url}/v1/tasks/${tasks[0]}/events`, {
    headers: { authorization: `Bearer ${tokens[0]}` },
  });
  await refused.arrayBuffer();

  // Events keep coming while /health is measured: 20 a second, spread over the followed tasks.
  let n = 0;
  const producer = setInterval(() => {
    void deps.events.enqueue({ task_id: tasks[n++ % TASKS]!, type: 'node_started', node: 'write_hook' });
  }, 50);
  const busy = await healthP95(url);
  clearInterval(producer);
  const delivered = received.events;

  for (const stream of streams) stream.destroy();
  await app.close();
  await deps.close();
  await testDb.drop().catch(() => {});
  results.push({
    figure: `/health p95 with ${STREAMS} open event streams, ${kind}`,
    value: busy.p95,
    unit: 'ms',
    baseline: `no streams ${idle.p95.toFixed(1)} ms`,
    ratio: busy.p95 / idle.p95,
    target: `< ${TARGET_P95_MS} ms, 0 errors`,
    met: busy.p95 < TARGET_P95_MS && busy.errors === 0,
  });
  rows.push(
    [
      kind.padEnd(8),
      idle.p95.toFixed(1).padStart(12),
      busy.p95.toFixed(1).padStart(13),
      (busy.p95 / idle.p95).toFixed(2).padStart(5),
      busy.rps.toFixed(0).padStart(10),
      String(delivered).padStart(16),
      String(refused.status).padStart(11),
      `p95 < ${TARGET_P95_MS} ms`.padEnd(13),
      busy.p95 < TARGET_P95_MS && busy.errors === 0 ? 'met' : 'NOT met',
    ].join(' | '),
  );
}

console.log(`/health under autocannon (10 connections, ${SECONDS} s) with 0, then ${STREAMS}, open event streams\n`);
console.log(
  'database | idle p95 ms  | streams p95 ms | ratio | health rps | events delivered | stream 1001 | target        | met',
);
for (const row of rows) console.log(row);
reportBench('sse', results);
process.exit(0);
