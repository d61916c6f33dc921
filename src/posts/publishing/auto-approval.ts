import type { Persona } from '../../personas/index.ts';

/**
 * Whether an accepted draft goes straight to `approved`: only for a persona in `auto` mode, and only when
 * its quality score reaches the persona's threshold (or, when the persona sets none, the configured one).
 */
export function isAutoApproved(
  persona: Pick<Persona, 'approval_mode' | 'auto_approve_min_score'>,
  qualityScore: number | null,
  defaultMinScore: number,
): boolean {
  if (persona.approval_mode !== 'auto' || qualityScore === null) return false;
  return qualityScore >= (persona.auto_approve_min_score ?? defaultMinScore);
}
