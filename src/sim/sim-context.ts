import type { FaultInjector } from './fault-injection.ts';
import type { SimClock } from './sim-clock.ts';
import type { SimState } from './sim-state.ts';
import type { StateStore } from './state-store.ts';

export interface SimSettings {
  appId: string;
  appSecret: string;
  appName: string;
  /** How long a new container stays IN_PROGRESS. */
  containerReadyMs: number;
  postQuota: number;
  replyQuota: number;
  /** Registered redirect URIs; null accepts any. */
  redirectUris: readonly string[] | null;
  /** Answer POST /oauth/access_token with user_id as a bare JSON number, as Meta does (the spec's default is a string). */
  numericOAuthUserId: boolean;
}

/** Everything a route needs; built once per simulator. */
export interface SimContext {
  state: SimState;
  seed: number;
  clock: SimClock;
  settings: SimSettings;
  faults: FaultInjector;
  store: StateStore;
  /** The clock's time, remembered in the state so a restart never goes back in time. */
  now(): number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const SHORT_LIVED_MS = HOUR_MS;
export const LONG_LIVED_MS = 60 * DAY_MS;
export const CONTAINER_TTL_MS = DAY_MS;
export const AUTH_CODE_TTL_MS = HOUR_MS;
