import type { Queryable } from '../db/database.ts';
import { costPerFollow, engagementRate, projectMonthlyRevenue, type RevenueProjection } from './kpi-formulas.ts';
import {
  countViralByPersona,
  followersByPersona,
  listLivePersonaSlugs,
  listRevenueEvents,
  recordViralCrossings,
  spendByPersona,
  sumEngagementByPersona,
} from './kpi.repository.ts';

const DAY_MS = 86_400_000;

/** The label (and API value) for all personas together; "all" is refused as a persona slug. */
export const ALL_PERSONAS = 'all';

export interface PersonaKpis {
  persona: string;
  engagement: { window_days: number; rate: number | null; posts: number; views: number; interactions: number };
  cost_per_follow: {
    window_days: number;
    dollars: number | null;
    spend_usd: number;
    followers_start: number | null;
    followers_end: number | null;
    net_new_followers: number | null;
  };
  followers_total: number | null;
  viral_posts_total: number;
}

export interface KpiReport {
  as_of: string;
  overall: PersonaKpis;
  personas: PersonaKpis[];
  revenue_projection_monthly: RevenueProjection;
}

function emptyKpis(persona: string, engagementDays: number, costDays: number): PersonaKpis {
  return {
    persona,
    engagement: { window_days: engagementDays, rate: null, posts: 0, views: 0, interactions: 0 },
    cost_per_follow: {
      window_days: costDays,
      dollars: null,
      spend_usd: 0,
      followers_start: null,
      followers_end: null,
      net_new_followers: null,
    },
    followers_total: null,
    viral_posts_total: 0,
  };
}

/** Adds one persona's inputs into a running total, then derives the ratios from the sums. */
function accumulate(into: PersonaKpis, from: PersonaKpis): void {
  into.engagement.posts += from.engagement.posts;
  into.engagement.views += from.engagement.views;
  into.engagement.interactions += from.engagement.interactions;
  into.cost_per_follow.spend_usd += from.cost_per_follow.spend_usd;
  const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
  into.cost_per_follow.followers_start = add(into.cost_per_follow.followers_start, from.cost_per_follow.followers_start);
  into.cost_per_follow.followers_end = add(into.cost_per_follow.followers_end, from.cost_per_follow.followers_end);
  into.cost_per_follow.net_new_followers = add(into.cost_per_follow.net_new_followers, from.cost_per_follow.net_new_followers);
  into.followers_total = add(into.followers_total, from.followers_total);
  into.viral_posts_total += from.viral_posts_total;
}

function deriveRatios(k: PersonaKpis): PersonaKpis {
  k.engagement.rate = engagementRate(k.engagement.views, k.engagement.interactions) ?? null;
  const net = k.cost_per_follow.net_new_followers;
  k.cost_per_follow.dollars = net === null ? null : (costPerFollow(k.cost_per_follow.spend_usd, net) ?? null);
  return k;
}

/**
 * Every KPI, from the database alone (so each replica and each restart reports the same), with
 * the inputs that produced it. Rates are ratios of sums over the window — a persona's
 * engagement is its total interactions over its total views, so a post with 3 views does not
 * weigh as much as one with 3,000.
 */
export async function computeKpis(
  db: Queryable,
  options: { now?: Date; engagementDays?: number; costDays?: number; personaId?: string } = {},
): Promise<KpiReport> {
  const now = options.now ?? new Date();
  const engagementDays = options.engagementDays ?? 7;
  const costDays = options.costDays ?? 30;
  const engagementWindow = { from: new Date(now.getTime() - engagementDays * DAY_MS), to: now };
  const costWindow = { from: new Date(now.getTime() - costDays * DAY_MS), to: now };

  await recordViralCrossings(db);
  const [personas, engagement, followers, spend, viral, revenue] = await Promise.all([
    listLivePersonaSlugs(db),
    sumEngagementByPersona(db, engagementWindow),
    followersByPersona(db, costWindow),
    spendByPersona(db, costWindow),
    countViralByPersona(db, now),
    listRevenueEvents(db, options.personaId),
  ]);

  const byId = new Map<string, PersonaKpis>();
  for (const p of personas) {
    if (options.personaId && p.id !== options.personaId) continue;
    byId.set(p.id, emptyKpis(p.slug, engagementDays, costDays));
  }
  for (const row of engagement) {
    const k = byId.get(row.persona_id);
    if (k) Object.assign(k.engagement, { posts: row.posts, views: row.views, interactions: row.interactions });
  }
  for (const row of followers) {
    const k = byId.get(row.persona_id);
    if (!k) continue;
    k.followers_total = row.end_count;
    k.cost_per_follow.followers_start = row.start_count;
    k.cost_per_follow.followers_end = row.end_count;
    k.cost_per_follow.net_new_followers =
      row.start_count === null || row.end_count === null ? null : row.end_count - row.start_count;
  }
  for (const row of spend) {
    const k = byId.get(row.persona_id);
    if (k) k.cost_per_follow.spend_usd = row.spend_usd;
  }
  for (const row of viral) {
    const k = byId.get(row.persona_id);
    if (k) k.viral_posts_total = row.viral;
  }

  const overall = emptyKpis(ALL_PERSONAS, engagementDays, costDays);
  const list = [...byId.values()].map(deriveRatios);
  for (const k of list) accumulate(overall, k);
  return {
    as_of: now.toISOString(),
    overall: deriveRatios(overall),
    personas: list,
    revenue_projection_monthly: projectMonthlyRevenue(revenue, now),
  };
}
