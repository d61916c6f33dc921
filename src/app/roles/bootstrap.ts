import type { Logger } from 'pino';
import { createFirstApiToken } from '../../auth/index.ts';
import type { Database } from '../../platform/db/index.ts';
import { loadPersonaLibrary, insertLibraryPersonas } from '../../personas/index.ts';

/** Loads the shipped persona library; personas already present (or deleted by the user) are left alone. */
export async function seedPersonaLibrary(db: Database, logger: Logger): Promise<number> {
  const added = await insertLibraryPersonas(db, loadPersonaLibrary());
  if (added > 0) logger.info({ added }, 'persona library loaded');
  return added;
}

/**
 * With no API_ADMIN_TOKEN and no stored token, creates one and shows it once on the terminal
 * (not in the logs); only its hash is kept.
 */
export async function ensureAdminToken(
  db: Database,
  adminToken: string | undefined,
  print: (text: string) => void,
): Promise<void> {
  if (adminToken) return;
  const token = await createFirstApiToken(db, 'admin (first start)');
  if (!token) return;
  print(
    [
      '',
      '  An admin API token was created. It is shown only this once; keep it somewhere safe:',
      '',
      `    ${token}`,
      '',
      '  Use it as:  curl -H "Authorization: Bearer <token>" ...',
      '  Lost it? Run `threads-agent token create` for a new one.',
      '',
    ].join('\n'),
  );
}
