import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findPersonaById, findPersonaBySlug } from '../personas/persona.repository.ts';
import { computeKpis } from './compute-kpis.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createKpiService(deps: { db: Database }) {
  async function getKpis(query: { persona?: string; window?: string }, now = new Date()) {
    const days = query.window ? Number(query.window.slice(0, -1)) : undefined;
    let personaId: string | undefined;
    if (query.persona) {
      const persona = UUID.test(query.persona)
        ? await findPersonaById(deps.db, query.persona)
        : await findPersonaBySlug(deps.db, query.persona);
      if (!persona) throw new AppError('not_found', `persona ${query.persona} does not exist`);
      personaId = persona.id;
    }
    const report = await computeKpis(deps.db, { now, engagementDays: days, costDays: days, personaId });
    return {
      as_of: report.as_of,
      kpis: personaId ? report.personas[0]! : report.overall,
      revenue_projection_monthly: report.revenue_projection_monthly,
    };
  }
  return { getKpis };
}

export type KpiService = ReturnType<typeof createKpiService>;
