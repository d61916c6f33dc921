export {
  AmbiguousTokenName,
  createApiToken,
  createFirstApiToken,
  hashToken,
  issueApiToken,
  listApiTokens,
  revokeApiToken,
  type TokenRecord,
  type TokenSpec,
} from './api-tokens.ts';
export { type Principal, principalMayTouch, ROLES, type Role, roleAllows, roleSchema } from './roles.ts';
export { createTokenVerifier, type TokenVerifier } from './token-verifier.ts';
export { type AuditEntry, type AuditRecord, listAudit, recordAudit } from './audit-log.ts';
