export {
  type AccountCredentials,
  credentialsFor,
  findAccountByPersona,
  findAccountByThreadsUser,
  linkAccount,
  listActiveCredentials,
  listPersonasNeverLinked,
  type NeverLinkedPersona,
  pauseAccount,
  type ThreadsAccount,
  unlinkAccountOfPersona,
} from './account.repository.ts';
export { type AccountsService, createAccountsService } from './accounts.service.ts';
export { refreshAccountToken } from './refresh-tokens.ts';
export { createTokenVault, type TokenVault } from './token-vault.ts';
