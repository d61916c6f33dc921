export { createApiToken, createFirstApiToken, createTokenVerifier, hashToken } from './api-tokens.ts';
