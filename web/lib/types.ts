/** The API's answers as the pages read them (see /docs for the full schemas). */
export interface Persona {
  id: string;
  slug: string;
  name: string;
  niche: string;
  audience: string;
  voice: string;
  tone: string;
  topics: string[];
  vocabulary: string[];
  banned_words: string[];
  banned_topics: string[];
  hook_patterns: string[];
  hook_model: string | null;
  body_model: string | null;
  daily_budget_usd: number | null;
  approval_mode: 'manual' | 'auto';
  auto_approve_min_score: number | null;
  autopilot: { posts_per_day: number; topics?: string[] } | null;
  learning_mode: 'off' | 'on';
  source: 'library' | 'user';
  created_at: string;
  updated_at: string;
}

export interface Insight {
  captured_at: string;
  views: number;
  likes: number;
  replies: number;
  reposts: number;
  quotes: number;
  shares: number;
  interactions: number;
  engagement_rate: number | null;
}

export interface Post {
  id: string;
  persona_id: string;
  task_id: string | null;
  variant: number;
  status: string;
  topic: string | null;
  hook_pattern: string;
  hook: string;
  text: string;
  quality_score: number | null;
  score_breakdown: Record<string, unknown>;
  rejection_reason: string | null;
  models: Record<string, unknown>;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  nearest_post_id: string | null;
  nearest_similarity: number | null;
  scheduled_at: string | null;
  published_at: string | null;
  permalink: string | null;
  publish_error: string | null;
  created_at: string;
  insights?: Insight | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Kpis {
  as_of: string;
  kpis: {
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
  };
  revenue_projection_monthly: { subscriptions: number; affiliate: number; leads: number; total: number };
  revenue_inputs: {
    currency: string;
    window_days: number;
    active_subscriptions: number;
    affiliate: { payments: number; refunds: number };
    leads: { payments: number; refunds: number };
  };
}

export interface KpiPoint {
  as_of: string;
  engagement_rate: number | null;
  cost_per_follow: number | null;
  followers_total: number | null;
  viral_posts_total: number;
  mrr: number;
}

export interface OpsSummary {
  as_of: string;
  queues: { queue: string; waiting: number; active: number; failed: number; dead_letter: number }[];
  breakers: { dependency: string; state: 'closed' | 'half_open' | 'open' }[];
  spend_today: { usd: number; budget_usd: number | null };
  http: { p95_seconds: number | null; requests: number };
}

export interface Lift {
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  learned_posts: number;
  control_posts: number;
  learned_mean_rate: number | null;
  control_mean_rate: number | null;
}

export interface Arm {
  arm: string;
  pulls: number;
  mean_reward: number;
  uncertainty: number;
  probability: number;
}

export interface PersonaLearning {
  persona_id: string;
  slug: string;
  learning: 'on' | 'off';
  autopilot: Persona['autopilot'];
  policy_version: string;
  rewards: { rewarded: number; pending: number };
  choices: { choice: string; arms: Arm[] }[];
  lift: Lift;
  predictor: { trained_at: string | null; spearman: number | null; baseline_spearman: number | null };
}

export interface PersonaRevenue {
  persona_id: string | null;
  slug: string | null;
  deleted: boolean;
  events: { subscription: number; affiliate: number; lead: number; total: number };
  last_occurred_at: string;
  mrr: { subscriptions: number; affiliate: number; leads: number; total: number };
  active_subscriptions: number;
}
