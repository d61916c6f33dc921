import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/app/http/http-server.ts';
import { createLogger } from '../../src/platform/observability/logger.ts';
import { registerHttpTracing } from '../../src/app/http/http-tracing.ts';
import { inThreadsSpan } from '../../src/platform/observability/spans.ts';
import { refreshKpiRollup } from '../../src/kpis/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { inSpan, startTracing } from '../../src/platform/observability/tracing.ts';
import { freePort, startCli, waitFor } from '../support/child-process.ts';
import { startWorker } from '../../src/app/roles/roles.ts';
import { chatCompletion, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { readSse } from '../support/sse.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

const exporter = new InMemorySpanExporter();
startTracing().addExporter(exporter, { batch: false });

const idOf = (s: ReadableSpan) => s.spanContext().spanId;
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => parentOf(s) === idOf(parent));
function descendantsOf(spans: ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (const child of childrenOf(spans, root)) out.push(child, ...descendantsOf(spans, child));
  return out;
}
function one(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  expect(
    found.map((s) => s.name),
    `exactly one span named ${name}`,
  ).toEqual([name]);
  return found[0]!;
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _encoding, callback) {
        raw.push(String(chunk));
        lines.push(JSON.parse(String(chunk)));
        callback();
      },
    }),
  );
  return { logger, lines, raw };
}

describe.each(DATABASE_KINDS)('traces of the product on %s', (kind) => {
  let t: TestApp;
  let provider: FakeOpenAiServer;
  beforeAll(async () => {
    // The OpenAI-compatible gateway, so a model call has its cache look-up beneath it.
    provider = await startFakeOpenAiServer();
    provider.respondWith((body) =>
      chatCompletion(
        String(body.messages.at(-1).content).includes('hook line')
          ? 'Is your budget lying to you?'
          : `Body ${Math.random()}: track one cost a day and cut the one you forgot.`,
        {
          model: body.model,
        },
      ),
    );
    t = await startTestApp(kind, { env: { OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'sk-test-tracing' } });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });
  beforeEach(() => exporter.reset());

  it('follows a request into its job, the graph nodes, the model calls and their SQL, in one trace', async () => {
    const persona = await t.createPersona();
    const res = await t.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await readSse(await t.api(`/v1/tasks/${id}/events`));
    // The job span ends after the handler returns, a moment after the last event is written.
    const spans = await waitFor(async () => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name === 'job generate-posts') ? all : undefined;
    }, 10_000);

    const request = one(spans, 'POST /v1/tasks');
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/tasks',
      'http.response.status_code': 202,
    });
    expect(parentOf(request)).toBeUndefined();
    // The auth check, the task insert and the job insert run inside the request.
    const requestSql = descendantsOf(spans, request).filter((s) => s.name.startsWith('db '));
    expect(requestSql.map((s) => s.attributes['db.query.text'])).toEqual(
      expect.arrayContaining([expect.stringMatching(/INSERT INTO tasks/i), expect.stringMatching(/pgboss\.job/i)]),
    );
    for (const s of requestSql) expect(JSON.stringify(s.attributes)).not.toContain(t.token);

    // request → (transaction) → send generate-posts → job generate-posts
    const send = one(spans, 'send generate-posts');
    expect(descendantsOf(spans, request)).toContain(send);
    const job = one(spans, 'job generate-posts');
    expect(parentOf(job)).toBe(idOf(send));
    expect(job.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(job.attributes['messaging.destination.name']).toBe('generate-posts');

    const nodes = childrenOf(spans, job).filter((s) => s.name.startsWith('node '));
    expect(new Set(nodes.map((s) => s.name))).toEqual(
      new Set([
        'node choose_hook_pattern',
        'node write_hook',
        'node write_body',
        'node score_quality',
        'node check_duplicate',
        'node guardrails',
        'node persist',
      ]),
    );
    const writeHook = nodes.find((s) => s.name === 'node write_hook')!;
    expect(writeHook.attributes).toMatchObject({ 'graph.node': 'write_hook', 'task.id': id, 'draft.variant': 0 });
    const llm = childrenOf(spans, writeHook).find((s) => s.name === 'llm hook')!;
    expect(llm).toBeDefined();
    expect(llm.attributes).toMatchObject({
      'gen_ai.response.model': 'gpt-4o',
      'gen_ai.provider.name': 'openai-compatible',
      'llm.cache_hit': false,
    });
    expect(llm.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(
      childrenOf(spans, llm).some(
        (s) => s.name === 'db select' && /llm_cache/.test(String(s.attributes['db.query.text'])),
      ),
    ).toBe(true);
    expect(
      childrenOf(spans, writeHook).some(
        (s) => s.name === 'db insert' && /llm_calls/.test(String(s.attributes['db.query.text'])),
      ),
    ).toBe(true);
    const persist = nodes.find((s) => s.name === 'node persist')!;
    expect(
      descendantsOf(spans, persist).some((s) => /INSERT INTO posts/i.test(String(s.attributes['db.query.text']))),
    ).toBe(true);

    const traceIds = new Set(descendantsOf(spans, request).map((s) => s.spanContext().traceId));
    expect([...traceIds]).toEqual([request.spanContext().traceId]);
  });

  it('continues a trace started by the caller (W3C traceparent)', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await t.api('/v1/personas', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.status).toBe(200);
    const request = await waitFor(
      async () => exporter.getFinishedSpans().find((s) => s.name === 'GET /v1/personas'),
      5000,
    );
    expect(request.spanContext().traceId).toBe(traceId);
    expect(parentOf(request)).toBe('00f067aa0ba902b7');
  });

  it('makes no trace for scrapes and probes, and no span for SQL outside a trace', async () => {
    // A fresh roll-up, so the scrape asks for no refresh-kpis job (that job would have a trace of its own).
    await refreshKpiRollup(t.deps.db);
    await fetch(`${t.url}/metrics`);
    await fetch(`${t.url}/health`);
    await t.deps.db.query('SELECT 1');
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
    // ...but the statement is still timed.
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/db_query_duration_seconds_count\{operation="select"\} [1-9]/);
  });
});

describe('traces of a failing job', () => {
  beforeEach(() => exporter.reset());

  it('writes trace_id, span_id and job_id on the log lines of a failing job', async () => {
    const jobLogs = captureLogs();
    const idle = await startTestApp('pglite', { worker: false, overrides: { logger: jobLogs.logger } });
    try {
      const persona = await idle.createPersona();
      const { id } = (await (
        await idle.api('/v1/tasks', { method: 'POST', body: JSON.stringify({ persona_id: persona.id }) })
      ).json()) as { id: string };
      // Deleted before a worker takes the job: the run fails and the job is retried.
      expect((await idle.api(`/v1/personas/${persona.id}`, { method: 'DELETE' })).status).toBe(204);
      await startWorker(idle.deps);
      const line = await waitFor(async () => jobLogs.lines.find((l) => l.msg === 'job failed'), 15_000);
      const job = await waitFor(
        async () => exporter.getFinishedSpans().find((s) => s.name === 'job generate-posts' && s.status.code === 2),
        15_000,
      );
      expect(line.trace_id).toBe(job.spanContext().traceId);
      expect(line.span_id).toBe(idOf(job));
      expect(line.job_id).toBe(job.attributes['messaging.message.id']);
      const taskLine = jobLogs.lines.find((l) => l.msg === 'task run failed' && l.taskId === id)!;
      expect(taskLine.trace_id).toBe(job.spanContext().traceId);
    } finally {
      await idle.close();
    }
  });
});

describe('traces and logs of one request', () => {
  const logs = captureLogs();
  let app: HttpServer;
  beforeAll(async () => {
    app = Fastify({ loggerInstance: logs.logger, requestIdHeader: 'x-request-id' }) as unknown as HttpServer;
    registerHttpTracing(app);
    app.post('/echo/:id', async (request) => {
      request.log.info(
        { req: { headers: request.headers }, apiKey: 'sk-live-123', nested: { token: 'ta_abc' } },
        'handled',
      );
      await inThreadsSpan(
        'threads_publish',
        async () => ({ status: 200 }),
        (r) => r.status,
      );
      return { ok: true };
    });
    app.get('/boom', async () => {
      throw new Error('kaput');
    });
    await app.ready();
  });
  afterAll(() => app.close());
  beforeEach(() => exporter.reset());

  it('puts trace_id, span_id and request_id on log lines, and redacts secrets', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo/42?q=1',
      headers: {
        'x-request-id': 'req-abc',
        authorization: 'Bearer ta_secret_token',
        cookie: 'sid=s3cr3t',
        'x-api-key': 'key-1',
      },
      payload: { hello: 'world' },
    });
    expect(res.statusCode).toBe(200);
    const spans = exporter.getFinishedSpans();
    const request = one(spans, 'POST /echo/:id');
    expect(request.attributes).toMatchObject({
      'url.path': '/echo/42',
      'request.id': 'req-abc',
      'http.response.status_code': 200,
    });
    const threads = one(spans, 'threads threads_publish');
    expect(parentOf(threads)).toBe(idOf(request));
    expect(threads.attributes['http.response.status_code']).toBe(200);

    const index = logs.lines.findIndex((l) => l.msg === 'handled');
    const line = logs.lines[index]!;
    expect(line).toMatchObject({ trace_id: request.spanContext().traceId, request_id: 'req-abc', reqId: 'req-abc' });
    expect(line.span_id).toBe(idOf(request));
    for (const secret of ['ta_secret_token', 's3cr3t', 'key-1', 'sk-live-123', 'ta_abc'])
      expect(logs.raw[index]).not.toContain(secret);
    expect(logs.raw[index]).toContain('[redacted]');
  });

  it('marks a failed request as an error', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const span = one(exporter.getFinishedSpans(), 'GET /boom');
    expect(span.status.code).toBe(2);
    expect(span.events.some((e) => e.name === 'exception')).toBe(true);
  });

  it('writes no trace ids outside a span', async () => {
    logs.logger.info('outside');
    await inSpan('unit of work', {}, async () => logs.logger.info('inside'));
    const outside = logs.lines.find((l) => l.msg === 'outside')!;
    const inside = logs.lines.find((l) => l.msg === 'inside')!;
    expect(outside.trace_id).toBeUndefined();
    expect(inside.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('OTLP export', () => {
  it('reads the standard variables', () => {
    expect(loadConfig({}).tracing).toEqual({ serviceName: 'threads-agent', otlpTracesUrl: undefined });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }).tracing.otlpTracesUrl).toBe(
      'http://jaeger:4318/v1/traces',
    );
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces',
      }).tracing.otlpTracesUrl,
    ).toBe('http://tempo:4318/v1/traces');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it("sends the running product's spans to OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const received: { url: string; contentType: string; body: string }[] = [];
    const collector = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        url: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-otlp-'));
    const port = await freePort();
    const token = 'otlp-test-admin-token-0123456789';
    const cli = startCli(['api'], {
      DATA_DIR: dataDir,
      PORT: String(port),
      API_ADMIN_TOKEN: token,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_SERVICE_NAME: 'threads-agent-otlp-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined), 60_000);
      const res = await fetch(`http://127.0.0.1:${port}/v1/personas`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const batch = await waitFor(async () => received.find((r) => r.body.includes('GET /v1/personas')), 20_000);
      expect(batch.url).toBe('/v1/traces');
      expect(batch.body).toContain('threads-agent-otlp-test');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
      await new Promise((resolve) => collector.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
