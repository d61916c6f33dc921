import { z } from 'zod';

/** Each role may do what the ones after it may, and more. */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function roleAllows(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

/** Who is calling: a stored token, or API_ADMIN_TOKEN (no id). */
export interface Principal {
  tokenId: string | null;
  name: string;
  role: Role;
  /** null: every persona. */
  personaIds: readonly string[] | null;
}

export function principalMayTouch(principal: Principal, personaId: string): boolean {
  return principal.personaIds === null || principal.personaIds.includes(personaId);
}
