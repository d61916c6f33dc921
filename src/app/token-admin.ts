import { z } from 'zod';
import {
  AmbiguousTokenName,
  issueApiToken,
  listApiTokens,
  revokeApiToken,
  roleSchema,
  type TokenRecord,
} from '../auth/index.ts';
import type { Queryable } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { findPersonaById, findPersonaBySlug } from '../personas/index.ts';
import { isUuid } from '../platform/uuid.ts';

/** What `token create` and POST /v1/tokens accept: personas by slug or id, expiry in the future. */
export const tokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema,
    personas: z.array(z.string().trim().min(1).max(64)).min(1).max(100).optional(),
    expires_at: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })
      .optional(),
  })
  .strict();
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const tokenViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  persona_ids: z.array(z.uuid()).nullable(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function view(r: TokenRecord): TokenView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    persona_ids: r.persona_ids,
    created_at: iso(r.created_at)!,
    expires_at: iso(r.expires_at),
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  };
}

async function resolvePersonas(db: Queryable, refs: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const persona = isUuid(ref) ? await findPersonaById(db, ref) : await findPersonaBySlug(db, ref);
    if (!persona)
      throw new AppError('unprocessable', `personas: no persona "${ref}" (give slugs or ids of existing personas)`);
    ids.push(persona.id);
  }
  return [...new Set(ids)];
}

/**
 * Token administration shared by the CLI and /v1/tokens; the clock decides what "future" means.
 * `onRevoked` runs before a revocation is answered (the API's verifier drops the token from its cache).
 */
export function createTokenAdmin(deps: { db: Queryable; now: () => Date; onRevoked?: (tokenId: string) => void }) {
  async function create(request: TokenRequest): Promise<{ token: string } & TokenView> {
    const expiresAt = request.expires_at ? new Date(request.expires_at) : null;
    if (expiresAt && expiresAt <= deps.now()) throw new AppError('bad_request', 'expires_at: must be in the future');
    const personaIds = request.personas ? await resolvePersonas(deps.db, request.personas) : null;
    const { token, record } = await issueApiToken(deps.db, {
      name: request.name,
      role: request.role,
      personaIds,
      expiresAt,
    });
    return { token, ...view(record) };
  }

  async function list(): Promise<TokenView[]> {
    return (await listApiTokens(deps.db)).map(view);
  }

  /** The revoked token; a 404 when no live token matches, a 409 when a name is shared. */
  async function revoke(idOrName: string): Promise<TokenView> {
    try {
      const [revoked] = await revokeApiToken(deps.db, idOrName, deps.now());
      if (!revoked) throw new AppError('not_found', `no live token ${idOrName}`);
      deps.onRevoked?.(revoked.id);
      return view(revoked);
    } catch (error) {
      if (error instanceof AmbiguousTokenName) throw new AppError('conflict', error.message);
      throw error;
    }
  }

  return { create, list, revoke };
}

export type TokenAdmin = ReturnType<typeof createTokenAdmin>;
