export { createApiToken, createFirstApiToken, createTokenVerifier } from './api-tokens.ts';
