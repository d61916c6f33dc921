import type { Queryable } from '../platform/db/index.ts';
import { groupBy } from '../platform/group-by.ts';
import {
  addGrowth,
  addInputs,
  deriveKpis,
  emptyInputs,
  followerGrowth,
  sumEngagement,
  type KpiInputs,
} from './kpi-formulas.ts';
import { windowEnding, type TimeWindow } from '../platform/time-window.ts';
import {
  countViralByPersona,
  listFollowerCandidates,
  listLivePersonas,
  listPostInsights,
  sumSpendByPersona,
} from './kpi.repository.ts';

/** The label (and API value) for every persona together; the persona schema refuses it as a slug. */
export const ALL_PERSONAS = 'all';

const ENGAGEMENT_DAYS = 7;
const COST_DAYS = 30;

export interface PersonaKpis {
  persona: string;
  inputs: KpiInputs;
  engagement_rate: number | undefined;
  net_new_followers: number | null;
  cost_per_follow: number | undefined;
  followers_total: number | null;
}

export interface KpiReport {
  engagementWindow: TimeWindow;
  costWindow: TimeWindow;
  overall: PersonaKpis;
  personas: PersonaKpis[];
}

/**
 * Every persona KPI from the database alone (so each replica and each restart reports the same),
 * with the inputs that produced it. `windowDays` replaces both default windows (7 days for
 * engagement, 30 for cost per follow).
 */
export async function computeKpis(db: Queryable, options: { now: Date; windowDays?: number }): Promise<KpiReport> {
  const { now } = options;
  const engagementWindow = windowEnding(now, options.windowDays ?? ENGAGEMENT_DAYS);
  const costWindow = windowEnding(now, options.windowDays ?? COST_DAYS);
  const [personas, posts, followers, spend, viral] = await Promise.all([
    listLivePersonas(db),
    listPostInsights(db, engagementWindow),
    listFollowerCandidates(db, costWindow),
    sumSpendByPersona(db, costWindow),
    countViralByPersona(db, now),
  ]);

  const inputs = new Map(personas.map((p) => [p.id, emptyInputs()]));
  for (const [personaId, rows] of groupBy(posts, (p) => p.persona_id)) {
    const into = inputs.get(personaId);
    if (into) into.engagement = sumEngagement(rows, engagementWindow);
  }
  for (const rows of groupBy(followers, (f) => f.account_id).values()) {
    const into = inputs.get(rows[0]!.persona_id);
    if (into) into.followers = addGrowth(into.followers, followerGrowth(rows, costWindow));
  }
  for (const row of spend) {
    const into = inputs.get(row.persona_id);
    if (into) into.spend_usd = row.spend_usd;
  }
  for (const row of viral) {
    const into = inputs.get(row.persona_id);
    if (into) into.viral_posts = row.viral;
  }

  const kpisOf = (persona: string, i: KpiInputs): PersonaKpis => ({ persona, inputs: i, ...deriveKpis(i) });
  const list = personas.map((p) => kpisOf(p.slug, inputs.get(p.id)!));
  const total = list.reduce((sum, k) => addInputs(sum, k.inputs), emptyInputs());
  // A counter must never go down: the overall count keeps the viral posts of deleted personas.
  total.viral_posts = viral.reduce((sum, row) => sum + row.viral, 0);
  return { engagementWindow, costWindow, overall: kpisOf(ALL_PERSONAS, total), personas: list };
}
