import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpsServer } from '../../src/app/http/ops-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const OPS_TOKEN = 'ops-service-token-31f0c9a2e7';

describe("the worker's ops port with OPS_TOKEN", () => {
  let t: TestApp;
  let ops: ReturnType<typeof buildOpsServer>;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp('pglite', { worker: false });
    ops = buildOpsServer({ ...t.deps, opsToken: OPS_TOKEN });
    await ops.listen({ port: 0, host: '127.0.0.1' });
    const address = ops.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await ops?.close();
    await t?.close();
  });

  it('serves /metrics only with the bearer service token; /health and /ready stay open for probes', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer ops-service-token-31f0c9a2e8' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(OPS_TOKEN);
    const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('process_cpu_seconds_total');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('without OPS_TOKEN, /metrics is open as before', async () => {
    const plain = buildOpsServer(t.deps);
    await plain.ready();
    expect((await plain.inject('/metrics')).statusCode).toBe(200);
    await plain.close();
  });
});
