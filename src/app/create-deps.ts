import type { Config } from '../platform/config.ts';
import { composeApi } from './compose/api.ts';
import { openPlatform, type PlatformOverrides, startQueue } from './compose/open-platform.ts';
import { composeShared, type SharedOverrides } from './compose/shared.ts';
import { composeWorker, type WorkerOverrides } from './compose/worker.ts';

export type DepsOverrides = PlatformOverrides & SharedOverrides & WorkerOverrides;

/**
 * The whole product in one process (`all`, `generate`, and the integration tests): the API's and
 * the worker's parts over one platform and one queue. The `api` and `worker` roles compose only theirs.
 */
export async function createDeps(config: Readonly<Config>, overrides: DepsOverrides = {}) {
  const platform = await openPlatform(config, overrides);
  const queue = await startQueue(platform).catch(async (error: unknown) => {
    await platform.close().catch(() => {});
    throw error;
  });
  const shared = await composeShared(platform, queue, overrides);
  const api = composeApi(platform, queue, shared);
  const worker = composeWorker(platform, queue, shared, overrides);
  return {
    ...api,
    worker,
    model: worker.model,
    publishing: { ...api.publishing, ...worker.publisher },
    /** Stops taking work, lets running jobs finish (or hands them back), then closes the database. */
    async close(): Promise<void> {
      await queue.stop();
      await platform.close();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
