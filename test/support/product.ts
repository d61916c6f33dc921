import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort, startCli, waitFor, type RunningCli } from './child-process.ts';

export interface RunningProduct {
  url: string;
  token: string;
  cli: RunningCli;
  api<T = unknown>(pathname: string, init?: { method?: string; body?: unknown }): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The real product as a user starts it (`threads-agent all`: API, worker, simulator and the built
 * dashboard in one process) on a fresh embedded database, with simulated time sped up.
 */
export async function startProduct(env: Record<string, string> = {}): Promise<RunningProduct> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'threads-agent-e2e-'));
  const [port, simPort] = [await freePort(), await freePort()];
  const token = `e2e-admin-${Math.random().toString(36).slice(2)}-token`;
  const cli = startCli(['all'], {
    DATA_DIR: dataDir,
    PORT: String(port),
    SIM_PORT: String(simPort),
    SIM_SPEED: '3600',
    SIM_CONTAINER_READY_MS: '0',
    PUBLISH_MIN_GAP_MINUTES: '0',
    QUEUE_POLL_SECONDS: '0.5',
    API_ADMIN_TOKEN: token,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${url}${pathname}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${pathname}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  const stop = async () => {
    cli.child.kill('SIGTERM');
    const killer = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
    await cli.exited;
    clearTimeout(killer);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitFor(async () => ((await fetch(`${url}/ready`)).ok ? true : undefined), 90_000),
      cli.exited.then((code) =>
        Promise.reject(new Error(`the product exited (${code}) before it was ready:\n${cli.output()}`)),
      ),
    ]);
    // The library of personas is loaded at start; the dashboard needs them listed.
    await waitFor(
      async () => ((await api<{ data: unknown[] }>('/v1/personas?limit=1')).data.length ? true : undefined),
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, token, cli, api, stop };
}

/** Debian's Chromium, headless, with a fresh profile (Playwright makes one per launch) and no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}
