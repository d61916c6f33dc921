/**
 * The source of the provisioned Grafana dashboards in ./dashboards/*.json.
 * Edit here, then regenerate:   npx tsx deploy/grafana/dashboards.ts
 * (test/integration/promtool-rules.test.ts fails when the JSON is stale; the
 * real-Prometheus test runs every panel's query against live data.)
 * Metric names and labels: shared/design/metrics.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

/**
 * Every panel queries the Prometheus picked by the DS_PROMETHEUS variable (the datasource
 * variable Grafana's own exports use): provisioned, it defaults to the provisioned datasource
 * (uid `prometheus`); imported by hand, pick any Prometheus.
 */
const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

interface Target {
  expr: string;
  legend?: string;
}

interface PanelSpec {
  title: string;
  description: string;
  type?: 'timeseries' | 'stat' | 'bargauge' | 'piechart';
  targets: Target[];
  unit?: string;
  /** Colour steps: [base colour, then [colour, from value] ...]; drawn as a line on time series. */
  thresholds?: [string, ...[string, number][]];
  mappings?: Json[];
  width?: number;
  height?: number;
  decimals?: number;
  min?: number;
  stack?: boolean;
}

interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  personaVariable?: boolean;
  panels: PanelSpec[];
}

function thresholdSteps(spec: PanelSpec) {
  const [base, ...steps] = spec.thresholds ?? ['green'];
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...steps.map(([color, value]) => ({ color, value }))],
  };
}

function panel(spec: PanelSpec, id: number, gridPos: Json): Json {
  const type = spec.type ?? 'timeseries';
  const targets = spec.targets.map((t, i) => ({
    datasource: DATASOURCE,
    refId: String.fromCharCode(65 + i),
    expr: t.expr,
    legendFormat: t.legend ?? '__auto',
    range: type === 'timeseries',
    instant: type !== 'timeseries',
  }));
  const defaults: Json = {
    unit: spec.unit ?? 'short',
    thresholds: thresholdSteps(spec),
    color: { mode: type === 'timeseries' || type === 'piechart' ? 'palette-classic' : 'thresholds' },
    mappings: spec.mappings ?? [],
    ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
  };
  let options: Json = {};
  if (type === 'timeseries') {
    defaults.custom = {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack ? 40 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: spec.thresholds ? 'line+area' : 'off' },
    };
    options = {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    };
  } else if (type === 'stat') {
    options = {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'area',
      justifyMode: 'auto',
      textMode: 'auto',
      orientation: 'auto',
    };
  } else if (type === 'bargauge') {
    options = {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      displayMode: 'gradient',
      orientation: 'horizontal',
      showUnfilled: true,
    };
  } else {
    options = {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      pieType: 'donut',
      legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value', 'percent'] },
    };
  }
  return {
    id,
    type,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    targets,
    fieldConfig: { defaults, overrides: [] },
    options,
  };
}

function dashboard(spec: DashboardSpec): Json {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((p, i) => {
    const w = p.width ?? 12;
    const h = p.height ?? (p.type === 'stat' ? 5 : 8);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panel(p, i + 1, gridPos);
  });
  const variables: Json[] = [
    {
      name: 'DS_PROMETHEUS',
      label: 'Prometheus',
      type: 'datasource',
      query: 'prometheus',
      // The provisioned datasource (deploy/grafana/provisioning/datasources/prometheus.yml).
      current: { selected: false, text: 'Prometheus', value: 'prometheus' },
      hide: 0,
      refresh: 1,
      options: [],
      regex: '',
    },
  ];
  if (spec.personaVariable) {
    variables.push({
      name: 'persona',
      label: 'Persona',
      type: 'query',
      datasource: DATASOURCE,
      definition: 'label_values(posts_generated_total, persona)',
      query: {
        query: 'label_values(posts_generated_total, persona)',
        refId: 'PrometheusVariableQueryEditor-VariableQuery',
      },
      includeAll: true,
      allValue: '.*',
      multi: true,
      current: { selected: true, text: ['All'], value: ['$__all'] },
      refresh: 2,
      sort: 1,
      hide: 0,
      options: [],
      regex: '',
    });
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    id: null,
    version: 1,
    schemaVersion: 39,
    editable: true,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    links: [
      {
        title: 'threads-agent',
        type: 'dashboards',
        tags: ['threads-agent'],
        asDropdown: true,
        includeVars: false,
        keepTime: true,
      },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    templating: { list: variables },
    panels,
  };
}

const P = 'persona=~"$persona"';
const RATE = '$__rate_interval';

const ENGAGEMENT_TARGET: PanelSpec['thresholds'] = ['red', ['green', 0.06]];
const COST_PER_FOLLOW_TARGET: PanelSpec['thresholds'] = ['green', ['red', 0.01]];
const REVENUE_TARGET: PanelSpec['thresholds'] = ['red', ['green', 20000]];
const BREAKER_MAPPINGS = [
  {
    type: 'value',
    options: {
      '0': { text: 'closed', color: 'green', index: 0 },
      '1': { text: 'half-open', color: 'orange', index: 1 },
      '2': { text: 'open', color: 'red', index: 2 },
    },
  },
];

export const DASHBOARDS: DashboardSpec[] = [
  {
    uid: 'threads-agent-kpis',
    title: 'threads-agent · Business KPIs',
    description:
      'Engagement, cost per follow, followers, viral posts and projected monthly revenue, against their targets.',
    tags: ['threads-agent', 'kpi'],
    personaVariable: true,
    panels: [
      {
        title: 'Engagement rate (7 days, all personas)',
        description: 'Interactions / views over the posts of the last 7 days. Target: 6 % or more.',
        type: 'stat',
        width: 6,
        unit: 'percentunit',
        decimals: 2,
        thresholds: ENGAGEMENT_TARGET,
        targets: [{ expr: 'max(posts_engagement_rate{persona="all"})', legend: 'engagement' }],
      },
      {
        title: 'Cost per follow (30 days, all personas)',
        description:
          'Attributed spend / net new followers over 30 days. Target: under $0.01. No value while there are no new followers.',
        type: 'stat',
        width: 6,
        unit: 'currencyUSD',
        decimals: 4,
        thresholds: COST_PER_FOLLOW_TARGET,
        targets: [{ expr: 'max(cost_per_follow_dollars{persona="all"})', legend: 'cost per follow' }],
      },
      {
        title: 'Projected monthly revenue',
        description: 'Active subscription MRR + last-30-day affiliate and lead revenue. Target: $20,000.',
        type: 'stat',
        width: 6,
        unit: 'currencyUSD',
        decimals: 0,
        thresholds: REVENUE_TARGET,
        targets: [{ expr: 'max(revenue_projection_monthly{stream="total"})', legend: 'MRR projection' }],
      },
      {
        title: 'Followers (all personas)',
        description: 'Latest follower count of every persona together.',
        type: 'stat',
        width: 3,
        thresholds: ['blue'],
        targets: [{ expr: 'max(followers_total{persona="all"})', legend: 'followers' }],
      },
      {
        title: 'Viral posts',
        description: 'Posts whose engagement first crossed 10 % with at least 100 views.',
        type: 'stat',
        width: 3,
        thresholds: ['purple'],
        targets: [{ expr: 'max(viral_posts_total{persona="all"})', legend: 'viral posts' }],
      },
      {
        title: 'Engagement rate by persona',
        description: 'The 7-day engagement rate of each persona; the line is the 6 % target.',
        unit: 'percentunit',
        min: 0,
        thresholds: ENGAGEMENT_TARGET,
        targets: [{ expr: `max by (persona) (posts_engagement_rate{${P}, persona!="all"})`, legend: '{{persona}}' }],
      },
      {
        title: 'Cost per follow by persona',
        description: 'The 30-day cost per new follower of each persona; the line is the $0.01 target.',
        unit: 'currencyUSD',
        min: 0,
        thresholds: COST_PER_FOLLOW_TARGET,
        targets: [{ expr: `max by (persona) (cost_per_follow_dollars{${P}, persona!="all"})`, legend: '{{persona}}' }],
      },
      {
        title: 'Projected monthly revenue by stream',
        description: 'Subscriptions, affiliate and leads, and their total; the line is the $20,000 target.',
        unit: 'currencyUSD',
        min: 0,
        thresholds: REVENUE_TARGET,
        targets: [{ expr: 'max by (stream) (revenue_projection_monthly)', legend: '{{stream}}' }],
      },
      {
        title: 'Followers by persona',
        description: 'Latest follower count of each persona.',
        targets: [{ expr: `max by (persona) (followers_total{${P}, persona!="all"})`, legend: '{{persona}}' }],
      },
      {
        title: 'Viral posts by persona',
        description: 'Posts that went viral, per persona (all time).',
        type: 'bargauge',
        thresholds: ['purple'],
        targets: [{ expr: `max by (persona) (viral_posts_total{${P}, persona!="all"})`, legend: '{{persona}}' }],
      },
      {
        title: 'Learning lift over the control group (all personas)',
        description:
          "Engagement of learned posts ÷ control posts (10 % chosen uniformly), each rate over its persona's baseline. Above 1: the loop helps.",
        type: 'stat',
        width: 6,
        decimals: 2,
        thresholds: ['red', ['yellow', 1], ['green', 1.3]],
        targets: [{ expr: 'max(learning_lift_ratio{persona="all"})', legend: 'lift' }],
      },
      {
        title: 'Engagement predictor: hold-out Spearman',
        description:
          'Rank correlation of predicted and actual engagement on the newest 20 % of rewarded posts, against the baseline (persona mean + length).',
        width: 9,
        min: -1,
        targets: [{ expr: 'max by (model) (engagement_prediction_spearman)', legend: '{{model}}' }],
      },
      {
        title: 'Learning decisions by choice and arm (per hour)',
        description: 'What the loop chose: hook pattern, length band, closing, emoji, hour block.',
        width: 9,
        stack: true,
        targets: [
          {
            expr: `sum by (choice, arm) (rate(learning_decisions_total[${RATE}])) * 3600`,
            legend: '{{choice}} · {{arm}}',
          },
        ],
      },
      {
        title: 'Learning lift by persona',
        description: 'Learned over control for each persona; the line is the 1.3× target.',
        min: 0,
        thresholds: ['red', ['green', 1.3]],
        targets: [{ expr: `max by (persona) (learning_lift_ratio{${P}, persona!="all"})`, legend: '{{persona}}' }],
      },
      {
        title: 'Accepted drafts per day by persona',
        description: 'Drafts the workflow accepted in the last 24 hours.',
        type: 'bargauge',
        thresholds: ['green'],
        targets: [
          {
            expr: `sum by (persona) (increase(posts_generated_total{${P}, outcome="accepted"}[1d]))`,
            legend: '{{persona}}',
          },
        ],
      },
    ],
  },
  {
    uid: 'threads-agent-llm',
    title: 'threads-agent · LLM cost and cache',
    description:
      'Model spend and tokens by model and service, cache hits and the spend they saved, latency and circuit breakers.',
    tags: ['threads-agent', 'llm'],
    panels: [
      {
        title: 'Model spend, last 24 hours',
        description: 'Dollars spent on models (from the price table) in the last 24 hours.',
        type: 'stat',
        width: 6,
        unit: 'currencyUSD',
        decimals: 2,
        thresholds: ['blue'],
        targets: [{ expr: 'sum(increase(llm_cost_dollars_total[1d]))', legend: 'spend' }],
      },
      {
        title: 'Cache hit ratio, last 24 hours',
        description: 'Share of model requests answered from the cache.',
        type: 'stat',
        width: 6,
        unit: 'percentunit',
        decimals: 1,
        thresholds: ['orange', ['green', 0.2]],
        targets: [
          {
            expr: 'sum(increase(llm_cache_requests_total{result="hit"}[1d])) / sum(increase(llm_cache_requests_total[1d]))',
            legend: 'hit ratio',
          },
        ],
      },
      {
        title: 'Estimated cache savings, last 24 hours',
        description: 'Cache hits × the average cost of an uncached call to the same model.',
        type: 'stat',
        width: 6,
        unit: 'currencyUSD',
        decimals: 2,
        thresholds: ['green'],
        targets: [
          {
            expr:
              'sum(sum by (model) (increase(llm_request_duration_seconds_count{outcome="cache_hit"}[1d]))' +
              ' * on (model) (sum by (model) (increase(llm_cost_dollars_total[1d]))' +
              ' / sum by (model) (increase(llm_request_duration_seconds_count{outcome="ok"}[1d]))))',
            legend: 'saved',
          },
        ],
      },
      {
        title: 'Circuit breakers',
        description: 'Per dependency: closed (calls flow), half-open (probing), open (failing fast).',
        type: 'stat',
        width: 6,
        thresholds: ['green', ['orange', 1], ['red', 2]],
        mappings: BREAKER_MAPPINGS,
        targets: [{ expr: 'max by (dependency) (circuit_breaker_state)', legend: '{{dependency}}' }],
      },
      {
        title: 'Spend by model and service ($/hour)',
        description: 'Dollars per hour spent on each model, split by the service that called it (hook, body, ...).',
        unit: 'currencyUSD',
        stack: true,
        targets: [
          {
            expr: `sum by (model, service) (rate(llm_cost_dollars_total[${RATE}])) * 3600`,
            legend: '{{model}} · {{service}}',
          },
        ],
      },
      {
        title: 'Spend by service, last 24 hours',
        description: 'Where the model dollars of the last day went.',
        type: 'piechart',
        unit: 'currencyUSD',
        targets: [{ expr: 'sum by (service) (increase(llm_cost_dollars_total[1d]))', legend: '{{service}}' }],
      },
      {
        title: 'Tokens by model and type (per second)',
        description: 'Prompt and completion tokens sent to each model; cache hits add none.',
        stack: true,
        targets: [{ expr: `sum by (model, type) (rate(llm_tokens_total[${RATE}]))`, legend: '{{model}} · {{type}}' }],
      },
      {
        title: 'Tokens by service (per second)',
        description: 'Prompt and completion tokens by the service that asked.',
        stack: true,
        targets: [
          { expr: `sum by (service, type) (rate(llm_tokens_total[${RATE}]))`, legend: '{{service}} · {{type}}' },
        ],
      },
      {
        title: 'Cache hits and misses (per second)',
        description: 'Model cache look-ups by result.',
        unit: 'reqps',
        stack: true,
        targets: [{ expr: `sum by (result) (rate(llm_cache_requests_total[${RATE}]))`, legend: '{{result}}' }],
      },
      {
        title: 'Estimated cache savings by model ($/hour)',
        description: 'Cache hits per model × the average cost of an uncached call to that model over the last hour.',
        unit: 'currencyUSD',
        targets: [
          {
            expr:
              `sum by (model) (rate(llm_request_duration_seconds_count{outcome="cache_hit"}[${RATE}])) * 3600` +
              ' * on (model) (sum by (model) (increase(llm_cost_dollars_total[1h]))' +
              ' / sum by (model) (increase(llm_request_duration_seconds_count{outcome="ok"}[1h])))',
            legend: '{{model}}',
          },
        ],
      },
      {
        title: 'Model latency p95 by model',
        description: '95th percentile of model call latency (calls that reached the provider).',
        unit: 's',
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, model) (rate(llm_request_duration_seconds_bucket{outcome="ok"}[${RATE}])))`,
            legend: '{{model}}',
          },
        ],
      },
      {
        title: 'Model calls by outcome (per second)',
        description: 'ok, cache_hit or error.',
        unit: 'reqps',
        stack: true,
        targets: [
          { expr: `sum by (outcome) (rate(llm_request_duration_seconds_count[${RATE}]))`, legend: '{{outcome}}' },
        ],
      },
    ],
  },
  {
    uid: 'threads-agent-pipeline',
    title: 'threads-agent · Content pipeline',
    description:
      'The persona workflow node by node, draft outcomes and rejection reasons, the queue, dead letters and publishing.',
    tags: ['threads-agent', 'pipeline'],
    personaVariable: true,
    panels: [
      {
        title: 'Acceptance rate',
        description: 'Accepted drafts / all drafts in the selected time range.',
        type: 'stat',
        width: 6,
        unit: 'percentunit',
        decimals: 1,
        thresholds: ['red', ['orange', 0.3], ['green', 0.5]],
        targets: [
          {
            expr: `sum(increase(posts_generated_total{${P}, outcome="accepted"}[$__range])) / sum(increase(posts_generated_total{${P}}[$__range]))`,
            legend: 'accepted',
          },
        ],
      },
      {
        title: 'Jobs waiting',
        description: 'Jobs created or waiting for a retry, all queues.',
        type: 'stat',
        width: 6,
        thresholds: ['green', ['orange', 50], ['red', 100]],
        targets: [{ expr: 'sum(max by (queue, state) (queue_jobs{state=~"created|retry"}))', legend: 'waiting' }],
      },
      {
        title: 'Dead letters',
        description: 'Jobs that failed every retry and wait in a dead-letter queue.',
        type: 'stat',
        width: 6,
        thresholds: ['green', ['red', 1]],
        targets: [{ expr: 'sum(max by (queue) (queue_jobs{state="dead_letter"}))', legend: 'dead letters' }],
      },
      {
        title: 'Generation time p95 (whole run)',
        description: '95th percentile of a task run, all variants.',
        type: 'stat',
        width: 6,
        unit: 's',
        thresholds: ['green', ['orange', 30], ['red', 60]],
        targets: [
          {
            expr: 'histogram_quantile(0.95, sum by (le) (increase(content_generation_latency_seconds_bucket{node="total"}[$__range])))',
            legend: 'p95',
          },
        ],
      },
      {
        title: 'Node latency p95',
        description: 'Time spent in each workflow node (95th percentile).',
        unit: 's',
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, node) (rate(content_generation_latency_seconds_bucket{node!="total"}[${RATE}])))`,
            legend: '{{node}}',
          },
        ],
      },
      {
        title: 'Run latency p50 / p95',
        description: 'A whole task run (node="total").',
        unit: 's',
        targets: [
          {
            expr: `histogram_quantile(0.5, sum by (le) (rate(content_generation_latency_seconds_bucket{node="total"}[${RATE}])))`,
            legend: 'p50',
          },
          {
            expr: `histogram_quantile(0.95, sum by (le) (rate(content_generation_latency_seconds_bucket{node="total"}[${RATE}])))`,
            legend: 'p95',
          },
        ],
      },
      {
        title: 'Drafts by outcome (per minute)',
        description: 'accepted, rejected_quality, rejected_duplicate, rejected_guard, failed.',
        stack: true,
        targets: [
          { expr: `sum by (outcome) (rate(posts_generated_total{${P}}[${RATE}])) * 60`, legend: '{{outcome}}' },
        ],
      },
      {
        title: 'Rejection reasons',
        description: 'Why drafts were not accepted, in the selected time range.',
        type: 'piechart',
        targets: [
          {
            expr: `sum by (outcome) (increase(posts_generated_total{${P}, outcome=~"rejected_.*|failed"}[$__range]))`,
            legend: '{{outcome}}',
          },
        ],
      },
      {
        title: 'Queue depth by state',
        description: 'Jobs per queue and state (from the queue table, the same on every replica).',
        targets: [
          { expr: 'max by (queue, state) (queue_jobs{state!="dead_letter"})', legend: '{{queue}} · {{state}}' },
        ],
      },
      {
        title: 'Dead letters by queue',
        description: 'Jobs waiting in each dead-letter queue, and jobs sent there per minute.',
        thresholds: ['green', ['red', 1]],
        targets: [
          { expr: 'max by (queue) (queue_jobs{state="dead_letter"})', legend: '{{queue}} waiting' },
          {
            expr: `sum by (queue) (rate(jobs_processed_total{outcome="dead_letter"}[${RATE}])) * 60`,
            legend: '{{queue}} new / min',
          },
        ],
      },
      {
        title: 'Jobs processed by outcome (per minute)',
        description: 'completed, retry, dead_letter.',
        stack: true,
        targets: [
          {
            expr: `sum by (queue, outcome) (rate(jobs_processed_total[${RATE}])) * 60`,
            legend: '{{queue}} · {{outcome}}',
          },
        ],
      },
      {
        title: 'Unhandled promise rejections (per hour)',
        description:
          'Rejections nothing handled, by process: logged and counted instead of ending it; any at all is a bug to find in the logs.',
        thresholds: ['green', ['red', 1]],
        targets: [
          {
            expr: `sum by (instance) (increase(process_unhandled_rejections_total[1h]))`,
            legend: '{{instance}}',
          },
        ],
      },
      {
        title: 'Job duration p95',
        description: 'Time a worker spent on a job (95th percentile).',
        unit: 's',
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, queue) (rate(job_duration_seconds_bucket[${RATE}])))`,
            legend: '{{queue}}',
          },
        ],
      },
      {
        title: 'Posts published by outcome (per hour)',
        description: 'Publish attempts to Threads that ended, by outcome.',
        stack: true,
        targets: [
          { expr: `sum by (outcome) (rate(posts_published_total{${P}}[${RATE}])) * 3600`, legend: '{{outcome}}' },
        ],
      },
    ],
  },
  {
    uid: 'threads-agent-api',
    title: 'threads-agent · API and infrastructure',
    description: 'HTTP traffic, errors and latency by route, the Threads API, the database and the Node.js processes.',
    tags: ['threads-agent', 'infrastructure'],
    panels: [
      {
        title: 'Requests per second',
        description: 'All HTTP requests, every route.',
        type: 'stat',
        width: 6,
        unit: 'reqps',
        thresholds: ['blue'],
        targets: [{ expr: `sum(rate(http_request_duration_seconds_count[${RATE}]))`, legend: 'requests' }],
      },
      {
        title: '5xx error ratio',
        description: 'Share of requests answered 5xx (the alert fires over 5 % for 5 minutes).',
        type: 'stat',
        width: 6,
        unit: 'percentunit',
        decimals: 2,
        thresholds: ['green', ['orange', 0.01], ['red', 0.05]],
        targets: [
          {
            // No 5xx series at all means no errors: 0, not "no data".
            expr: `(sum(rate(http_request_duration_seconds_count{status_code=~"5.."}[${RATE}])) or vector(0)) / sum(rate(http_request_duration_seconds_count[${RATE}]))`,
            legend: 'errors',
          },
        ],
      },
      {
        title: 'Targets up',
        description: 'threads-agent processes Prometheus scrapes successfully.',
        type: 'stat',
        width: 6,
        thresholds: ['red', ['green', 1]],
        targets: [{ expr: 'sum(up{job="threads-agent"})', legend: 'up' }],
      },
      {
        title: 'Circuit breakers',
        description: 'Per dependency: closed, half-open, open.',
        type: 'stat',
        width: 6,
        thresholds: ['green', ['orange', 1], ['red', 2]],
        mappings: BREAKER_MAPPINGS,
        targets: [{ expr: 'max by (dependency) (circuit_breaker_state)', legend: '{{dependency}}' }],
      },
      {
        title: 'Requests by route and status (per second)',
        description: 'Route patterns, never raw URLs.',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (method, route, status_code) (rate(http_request_duration_seconds_count[${RATE}]))`,
            legend: '{{method}} {{route}} {{status_code}}',
          },
        ],
      },
      {
        title: 'Latency p95 by route',
        description:
          'Task event streams (SSE) stay open by design and are left out, as are unmatched URLs; the line is the 1 s alert threshold.',
        unit: 's',
        thresholds: ['green', ['red', 1]],
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/v1/tasks/:id/events|unmatched"}[${RATE}])))`,
            legend: '{{route}}',
          },
        ],
      },
      {
        title: 'Threads API requests by endpoint and status (per minute)',
        description: 'Calls to the Threads Graph API.',
        targets: [
          {
            expr: `sum by (endpoint, status_code) (rate(threads_api_requests_total[${RATE}])) * 60`,
            legend: '{{endpoint}} {{status_code}}',
          },
        ],
      },
      {
        title: 'Database query latency p95 by operation',
        description: 'Statement latency (select, insert, update, ...), queue polling included.',
        unit: 's',
        targets: [
          {
            expr: `histogram_quantile(0.95, sum by (le, operation) (rate(db_query_duration_seconds_bucket[${RATE}])))`,
            legend: '{{operation}}',
          },
        ],
      },
      {
        title: 'Database queries by operation (per second)',
        description: 'Statements per second.',
        unit: 'ops',
        stack: true,
        targets: [
          { expr: `sum by (operation) (rate(db_query_duration_seconds_count[${RATE}]))`, legend: '{{operation}}' },
        ],
      },
      {
        title: 'Database pool connections',
        description: 'Connections by state, summed over processes.',
        targets: [{ expr: 'sum by (state) (db_pool_connections)', legend: '{{state}}' }],
      },
      {
        title: 'CPU by process',
        description: 'CPU seconds per second of each threads-agent process.',
        unit: 'percentunit',
        targets: [
          {
            expr: `sum by (instance) (rate(process_cpu_seconds_total{job="threads-agent"}[${RATE}]))`,
            legend: '{{instance}}',
          },
        ],
      },
      {
        title: 'Memory by process',
        description: 'Resident memory and V8 heap in use.',
        unit: 'bytes',
        targets: [
          {
            expr: 'sum by (instance) (process_resident_memory_bytes{job="threads-agent"})',
            legend: '{{instance}} resident',
          },
          { expr: 'sum by (instance) (nodejs_heap_size_used_bytes{job="threads-agent"})', legend: '{{instance}} heap' },
        ],
      },
      {
        title: 'Event loop lag p99',
        description: 'How long callbacks wait for the event loop.',
        unit: 's',
        targets: [
          { expr: 'max by (instance) (nodejs_eventloop_lag_p99_seconds{job="threads-agent"})', legend: '{{instance}}' },
        ],
      },
    ],
  },
];

export const DASHBOARDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dashboards');

/** File name → the dashboard JSON as written to disk. */
export function renderDashboards(): Map<string, string> {
  return new Map(
    DASHBOARDS.map((d) => [
      `${d.uid.replace(/^threads-agent-/, '')}.json`,
      `${JSON.stringify(dashboard(d), null, 2)}\n`,
    ]),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const [name, json] of renderDashboards()) fs.writeFileSync(path.join(DASHBOARDS_DIR, name), json);
  process.stdout.write(`wrote ${DASHBOARDS.length} dashboards to ${path.relative(process.cwd(), DASHBOARDS_DIR)}\n`);
}
