import type { Database } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { findPersonaById, findPersonaBySlug } from '../personas/index.ts';
import { computeRevenueProjection, BASE_CURRENCY } from '../revenue/index.ts';
import { ALL_PERSONAS, computeKpis, type PersonaKpis } from './compute-kpis.ts';
import type { TimeWindow } from '../platform/time-window.ts';
import { isUuid } from '../platform/uuid.ts';

const windowView = (w: TimeWindow) => ({ window_days: w.days, from: w.from.toISOString(), to: w.to.toISOString() });

/** The API view of one persona's KPIs: undefined ratios become null, next to the inputs that produced them. */
function kpisView(k: PersonaKpis, engagement: TimeWindow, cost: TimeWindow) {
  const { inputs } = k;
  return {
    persona: k.persona,
    engagement: { ...windowView(engagement), rate: k.engagement_rate ?? null, ...inputs.engagement },
    cost_per_follow: {
      ...windowView(cost),
      dollars: k.cost_per_follow ?? null,
      spend_usd: inputs.spend_usd,
      followers_start: inputs.followers.start,
      followers_end: inputs.followers.end,
      net_new_followers: k.net_new_followers,
    },
    followers_total: k.followers_total,
    viral_posts_total: inputs.viral_posts,
  };
}

export function createKpiService(deps: { db: Database; now: () => Date }) {
  async function resolvePersona(persona: string | undefined): Promise<{ id: string; slug: string } | null> {
    if (!persona || persona === ALL_PERSONAS) return null;
    const found = isUuid(persona) ? await findPersonaById(deps.db, persona) : await findPersonaBySlug(deps.db, persona);
    if (!found) throw new AppError('not_found', `persona ${persona} does not exist`);
    return found;
  }

  /** The numbers the gauges show (for the same `now` and default windows), with their inputs; `at` computes them as of an earlier instant. */
  async function getKpis(query: { persona?: string; window?: string }, at?: Date) {
    const now = at ?? deps.now();
    const persona = await resolvePersona(query.persona);
    const windowDays = query.window ? Number(query.window.slice(0, -1)) : undefined;
    const [report, revenue] = await Promise.all([
      computeKpis(deps.db, { now, windowDays }),
      computeRevenueProjection(deps.db, { now, personaId: persona?.id }),
    ]);
    const kpis = persona ? report.personas.find((k) => k.persona === persona.slug) : report.overall;
    if (!kpis) throw new AppError('not_found', `persona ${query.persona} does not exist`);
    return {
      as_of: now.toISOString(),
      kpis: kpisView(kpis, report.engagementWindow, report.costWindow),
      revenue_projection_monthly: revenue.projection,
      revenue_inputs: { currency: BASE_CURRENCY, ...revenue.inputs },
    };
  }

  return { getKpis };
}

export type KpiService = ReturnType<typeof createKpiService>;
