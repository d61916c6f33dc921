import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../support/child-process.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ta-config-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** A start that must stop with exit code 2 and a message naming the setting, quickly and never hanging. */
async function expectRefused(args: string[], env: Record<string, string>, setting: string) {
  const started = Date.now();
  const { code, output } = await runCli(args, { DATA_DIR: dataDir, ...env }, 45_000);
  expect(code, output).toBe(2);
  expect(output).toContain(setting);
  expect(output).not.toMatch(/^\s+at /m);
  expect(Date.now() - started).toBeLessThan(45_000);
}

describe('a start with an unusable setting', () => {
  it('refuses a Threads API address that is not http(s)', async () => {
    await expectRefused(['migrate'], { THREADS_API_BASE_URL: 'ftp://x' }, 'THREADS_API_BASE_URL');
  });

  it('names DATA_DIR when the directory cannot be written, instead of hanging', async () => {
    await expectRefused(['migrate'], { DATA_DIR: '/proc/forbidden' }, 'DATA_DIR');
  });

  it('names DATABASE_URL when the server cannot be reached', async () => {
    const port = await freePort();
    await expectRefused(['migrate'], { DATABASE_URL: `postgres://postgres:pw@127.0.0.1:${port}/none` }, 'DATABASE_URL');
  });

  it('names HOST when it is not an address of this machine', async () => {
    const port = await freePort();
    await expectRefused(['api'], { HOST: '999.1.1.1', PORT: String(port), LOG_LEVEL: 'fatal' }, 'HOST');
  });
});
