import { randomBytes } from 'node:crypto';
import { deriveSeed } from './sim-random.ts';
import type { SimState } from './sim-state.ts';

// Real ids sit around 1.78e16, above Number.MAX_SAFE_INTEGER, which is what makes them worth testing.
const ID_BASE = { user: 17841400000000000n, container: 17889600000000000n, media: 18050000000000000n } as const;

/** A numeric-string id, unique within the state and reproducible for a seed. */
export function nextId(state: SimState, seed: number, kind: keyof typeof ID_BASE): string {
  const seq = state.nextSeq++;
  const jitter = BigInt(deriveSeed(seed, kind, String(seq)) % 999_983);
  return (ID_BASE[kind] + BigInt(seq) * 1_000_000n + jitter).toString();
}

/** The id of an audience member, stable for a username. */
export function audienceUserId(username: string): string {
  return (ID_BASE.user - 1_000_000_000_000n + BigInt(deriveSeed(0, 'audience', username)) * 1000n).toString();
}

const SHORTCODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Instagram-style shortcode: the media id written in base 64. */
export function shortcodeOf(mediaId: string): string {
  let n = BigInt(mediaId);
  let out = '';
  while (n > 0n) {
    out = SHORTCODE_ALPHABET[Number(n % 64n)] + out;
    n /= 64n;
  }
  return out || 'A';
}

export function permalinkOf(username: string, mediaId: string): string {
  return `https://www.threads.net/@${username}/post/${shortcodeOf(mediaId)}`;
}

/** `2023-10-17T05:42:03+0000`, as Meta writes it. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function newAccessToken(kind: 'short' | 'long'): string {
  return `${kind === 'short' ? 'THQVJ' : 'THAA'}${randomBytes(36).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export function newAuthCode(): string {
  return `AQB${randomBytes(24).toString('base64url').replace(/[-_]/g, 'z')}`;
}

export function newTraceId(): string {
  return randomBytes(8).toString('base64url').replace(/[-_]/g, 'Q').slice(0, 11);
}
