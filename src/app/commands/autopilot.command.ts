import { z } from 'zod';
import { findPersonaBySlug, type PersonasService } from '../../personas/index.ts';
import type { Database } from '../../platform/db/index.ts';

export interface AutopilotOptions {
  postsPerDay?: number;
  topics?: string;
  off?: boolean;
  learning?: string;
  approval?: string;
}

const modes = { learning: z.enum(['on', 'off']), approval: z.enum(['auto', 'manual']) };

/**
 * `threads-agent autopilot <slug…>`: the same change as PATCH /v1/personas/:id with `autopilot`,
 * `learning_mode` and `approval_mode`, for several personas at once. Returns the exit code.
 */
export async function runAutopilotCommand(
  deps: { db: Database; personas: Pick<PersonasService, 'patchPersona'> },
  slugs: string[],
  options: AutopilotOptions,
  print: (line: string) => void,
): Promise<number> {
  if (options.off && options.postsPerDay !== undefined) {
    print('give either --posts-per-day or --off, not both');
    return 2;
  }
  const learning = options.learning === undefined ? undefined : modes.learning.safeParse(options.learning);
  const approval = options.approval === undefined ? undefined : modes.approval.safeParse(options.approval);
  if (learning?.success === false || approval?.success === false) {
    print('--learning takes on or off; --approval takes auto or manual');
    return 2;
  }
  const topics = options.topics
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const patch = {
    ...(options.off ? { autopilot: null } : {}),
    ...(options.postsPerDay !== undefined
      ? { autopilot: { posts_per_day: options.postsPerDay, ...(topics?.length ? { topics } : {}) } }
      : {}),
    ...(learning?.success ? { learning_mode: learning.data } : {}),
    ...(approval?.success ? { approval_mode: approval.data } : {}),
  };
  if (Object.keys(patch).length === 0) {
    print('nothing to change: give --posts-per-day, --off, --learning or --approval');
    return 2;
  }
  for (const slug of slugs) {
    const persona = await findPersonaBySlug(deps.db, slug);
    if (!persona) {
      print(`no persona with slug "${slug}"`);
      return 1;
    }
    const updated = await deps.personas.patchPersona(persona.id, patch);
    const pilot = updated.autopilot ? `${updated.autopilot.posts_per_day} posts a day` : 'off';
    print(`${slug}: autopilot ${pilot}, learning ${updated.learning_mode}, approval ${updated.approval_mode}`);
  }
  return 0;
}
