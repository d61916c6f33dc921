// Authenticated reads through the real API against a bare node:http server answering the same
// bytes, measured in the same run with autocannon, interleaved, so the machine's noise is shared.
// Run: npx tsx bench/api.ts [seconds per round] [rounds]   (with DATABASE_URL set, also on that server)
// The bench token's limit is raised (RATE_LIMIT_PER_TOKEN, default here 1e9) so the limiter runs on every
// request but refuses none: a 429 is not a read. Set RATE_LIMIT_PER_TOKEN=1200 to see the product default.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pino from 'pino';
import { type BenchRow, median, positionalArgs, reportBench } from './bench-result.ts';
import { createDeps } from '../src/app/create-deps.ts';
import { buildApiServer } from '../src/app/http/api-server.ts';
import { createApiToken } from '../src/auth/api-tokens.ts';
import { loadConfig } from '../src/platform/config.ts';
import { insertPersona } from '../src/personas/persona.repository.ts';
import { personaFields } from '../test/support/factories.ts';
import { insertDraft } from '../test/support/publishing-fixtures.ts';
import { DATABASE_KINDS, createTestDatabase } from '../test/support/test-database.ts';

// `npm run bench` passes --scale through; this bench has one size.
const [SECONDS = 5, ROUNDS = 3] = positionalArgs().map(Number);
const BENCH_TOKEN_LIMIT = process.env.RATE_LIMIT_PER_TOKEN ?? '1000000000';
const CONNECTIONS = 50;
const TARGET_RATIO = 0.4;
const TARGET_P97_5_MS = 100;

interface Round {
  /** 2xx answers per second: a refused or failed request is not a read. */
  rps: number;
  p97_5: number;
  errors: number;
  timeouts: number;
  /** Answers other than 2xx, by status. */
  statuses: Record<string, number>;
}

/**
 * One autocannon run from a worker thread, so the load generator does not take the server's event
 * loop. Its histogram has no p95: p97.5 is reported, a stricter figure.
 */
async function load(url: string, token: string): Promise<Round> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 10,
    workers: 1,
    headers: { authorization: `Bearer ${token}` },
  });
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) statuses[status] = count ?? 0;
  }
  return {
    rps: result['2xx'] / result.duration,
    p97_5: result.latency.p97_5,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}

type Answers = Map<string, { body: Buffer; type: string; read: () => Promise<unknown> }>;

/**
 * Answers every path it was given with the captured bytes and headers, and nothing else. With
 * `withRead`, it first makes the service call the route makes (its SQL through the product's pool):
 * the most a read that goes to the database could reach without the API's layers.
 */
async function startBareServer(answers: Answers, withRead: boolean): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const answer = answers.get(req.url ?? '');
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    if (withRead) await answer.read();
    res.writeHead(200, { 'content-type': answer.type, 'content-length': answer.body.length });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: http.Server) => (server.address() as AddressInfo).port;

const rows: string[] = [];
const benchRows: BenchRow[] = [];
for (const kind of DATABASE_KINDS) {
  const testDb = await createTestDatabase(kind);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_TOKEN: BENCH_TOKEN_LIMIT,
    ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
  });
  const deps = await createDeps(config, { db: testDb.db, logger: pino({ level: 'silent' }) });
  const app = await buildApiServer(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const token = await createApiToken(deps.db, 'bench');
  const personas = [];
  for (let i = 0; i < 25; i++) personas.push(await insertPersona(deps.db, personaFields(), 'user'));
  const post = await insertDraft(deps.db, personas[0]!.id);

  const reads: Record<string, () => Promise<unknown>> = {
    [`/v1/posts/${post.id}`]: () => deps.posts.getPost(post.id),
    '/v1/personas?limit=20': () => deps.personas.listPage({ sort: 'slug', order: 'asc', limit: 20 }),
  };
  const paths = Object.keys(reads);
  const answers: Answers = new Map();
  const apiUrl = `http://127.0.0.1:${portOf(app.server)}`;
  for (const path of paths) {
    const res = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    answers.set(path, {
      body: Buffer.from(await res.arrayBuffer()),
      type: res.headers.get('content-type')!,
      read: reads[path]!,
    });
  }
  const bare = await startBareServer(answers, false);
  const withRead = await startBareServer(answers, true);
  const urls = {
    api: apiUrl,
    bare: `http://127.0.0.1:${portOf(bare)}`,
    read: `http://127.0.0.1:${portOf(withRead)}`,
  };
  for (const path of paths) {
    for (const url of [urls.bare, urls.read]) {
      const same = Buffer.from(await (await fetch(`${url}${path}`)).arrayBuffer());
      if (!same.equals(answers.get(path)!.body)) throw new Error(`the bare server does not answer ${path} alike`);
    }
  }

  for (const path of paths) {
    // A short warm-up each: JIT, connection pools, PGlite's first touch of the pages.
    for (const url of Object.values(urls)) await load(`${url}${path}`, token);
    const rounds: Record<keyof typeof urls, Round[]> = { api: [], bare: [], read: [] };
    const sides = Object.keys(urls) as (keyof typeof urls)[];
    for (let round = 0; round < ROUNDS; round++) {
      // Rotating which goes first keeps a slow patch of the machine from favouring one side.
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(round + i) % sides.length]!;
        rounds[side].push(await load(`${urls[side]}${path}`, token));
      }
    }
    const { api, bare: raw } = rounds;
    const apiRps = median(api.map((r) => r.rps));
    const bareRps = median(raw.map((r) => r.rps));
    const readRps = median(rounds.read.map((r) => r.rps));
    const ratio = apiRps / bareRps;
    const p97_5 = median(api.map((r) => r.p97_5));
    const statuses: Record<string, number> = {};
    for (const r of api)
      for (const [status, n] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
    const errors = api.reduce((n, r) => n + r.errors, 0);
    const timeouts = api.reduce((n, r) => n + r.timeouts, 0);
    const failures = errors + timeouts + Object.values(statuses).reduce((a, b) => a + b, 0);
    const failureText =
      failures === 0
        ? '0'
        : [
            ...Object.entries(statuses).map(([status, n]) => `${n}×${status}`),
            ...(errors ? [`${errors} errors`] : []),
            ...(timeouts ? [`${timeouts} timeouts`] : []),
          ].join(' ');
    const met =
      kind === 'postgres' ? ratio >= TARGET_RATIO && failures === 0 : p97_5 < TARGET_P97_5_MS && failures === 0;
    const target =
      kind === 'postgres' ? `ratio ≥ ${TARGET_RATIO}, 0 failures` : `p97.5 < ${TARGET_P97_5_MS} ms, 0 failures`;
    const route = path.startsWith('/v1/posts/') ? '/v1/posts/:id' : path;
    benchRows.push({
      figure: `GET ${route} 2xx req/s, ${kind}, ${CONNECTIONS} connections (p97.5 ${p97_5.toFixed(1)} ms; failures: ${failureText})`,
      value: Math.round(apiRps),
      unit: 'req/s',
      baseline: `bare node:http ${bareRps.toFixed(0)} req/s`,
      ratio: Number(ratio.toFixed(3)),
      target,
      met,
    });
    benchRows.push({
      figure: `bare node:http + the route's service call, GET ${route}, ${kind} (the API reaches ${(apiRps / readRps).toFixed(2)} of it)`,
      value: Math.round(readRps),
      unit: 'req/s',
      baseline: `bare node:http ${bareRps.toFixed(0)} req/s`,
      ratio: Number((readRps / bareRps).toFixed(3)),
      target: null,
      met: null,
    });
    rows.push(
      [
        kind.padEnd(8),
        `GET ${route}`.padEnd(26),
        apiRps.toFixed(0).padStart(7),
        p97_5.toFixed(1).padStart(7),
        bareRps.toFixed(0).padStart(8),
        readRps.toFixed(0).padStart(10),
        median(raw.map((r) => r.p97_5))
          .toFixed(1)
          .padStart(8),
        ratio.toFixed(2).padStart(5),
        failureText.padStart(6),
        target.padEnd(24),
        met ? 'met' : 'NOT met',
      ].join(' | '),
    );
  }
  for (const server of [bare, withRead]) await new Promise((resolve) => server.close(resolve));
  await app.close();
  await deps.close();
  await testDb.drop().catch(() => {});
}

console.error(
  `${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} rounds per side, interleaved; medians of the rounds\n`,
);
console.error(
  'database | route                      | api rps | p97.5ms | bare rps | + read rps | bare p97.5 | ratio | errors | target                   | met',
);
for (const row of rows) console.error(row);
reportBench('api', benchRows);
