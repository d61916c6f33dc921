/**
 * The offline side of bench/sim-taste.ts: ten account profiles, a template post generator for any
 * choice of opening form × length band × closing question × hour (written here, not the product's
 * composer), and a runner that publishes a policy's posts through the simulator's judgePost.
 */
import { judgePost, engagementRate, type AudienceTaste, type OpeningForm, type SimProfile } from '../src/sim/index.ts';

export const FORMS = [
  'question',
  'list',
  'contrarian',
  'story',
  'how_to',
  'mistake',
  'figure',
  'claim',
] as const satisfies readonly OpeningForm[];
export const BANDS = { short: 110, medium: 220, long: 400 } as const;
export type Band = keyof typeof BANDS;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
export interface Choice {
  form: (typeof FORMS)[number];
  band: Band;
  question: boolean;
  hour: number;
}

export const ACCOUNTS: SimProfile[] = [
  {
    niche: 'indie SaaS',
    topics: ['churn from expired cards', 'annual pricing plans'],
    vocabulary: ['MRR', 'churn', 'trial-to-paid'],
  },
  {
    niche: 'home baking',
    topics: ['sourdough starters', 'laminated dough'],
    vocabulary: ['hydration', 'crumb', 'proofing'],
  },
  {
    niche: 'running',
    topics: ['marathon training blocks', 'easy pace runs'],
    vocabulary: ['tempo', 'cadence', 'long run'],
  },
  {
    niche: 'personal finance',
    topics: ['index fund investing', 'emergency savings'],
    vocabulary: ['expense ratio', 'budget', 'compound interest'],
  },
  {
    niche: 'frontend engineering',
    topics: ['css layout bugs', 'react state management'],
    vocabulary: ['flexbox', 'hooks', 'bundle size'],
  },
  {
    niche: 'gardening',
    topics: ['tomato seedlings', 'composting at home'],
    vocabulary: ['mulch', 'soil', 'germination'],
  },
  {
    niche: 'freelance design',
    topics: ['client onboarding', 'pricing design projects'],
    vocabulary: ['retainer', 'brief', 'portfolio'],
  },
  {
    niche: 'language learning',
    topics: ['spaced repetition decks', 'speaking practice'],
    vocabulary: ['flashcards', 'fluency', 'grammar'],
  },
  {
    niche: 'remote teams',
    topics: ['async standups', 'meeting-free days'],
    vocabulary: ['timezone', 'handoff', 'docs'],
  },
  {
    niche: 'home coffee',
    topics: ['espresso dialing in', 'pour-over recipes'],
    vocabulary: ['grind size', 'extraction', 'crema'],
  },
];

/** A deterministic little generator, so the bench needs nothing of the product's. */
export function rngOf(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let t = s ^ (s >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return ((t ^ (t >>> 15)) >>> 0) / 4294967296;
  };
}
export type Rng = () => number;
export const choose = <T>(rng: Rng, xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function openingLine(form: Choice['form'], topic: string, term: string, rng: Rng): string {
  const n = 3 + Math.floor(rng() * 5);
  switch (form) {
    case 'question':
      return choose(rng, [
        `What would change if you fixed ${topic} this week?`,
        `Why does ${topic} feel harder than it should?`,
      ]);
    case 'list':
      return `${n} things I changed about ${topic}:`;
    case 'contrarian':
      return choose(rng, [
        `Unpopular opinion: ${topic} is overrated.`,
        `Hot take: most advice on ${topic} is backwards.`,
      ]);
    case 'story':
      return choose(rng, [`Last year I almost gave up on ${topic}.`, `I spent a month rebuilding my ${term} routine.`]);
    case 'how_to':
      return `How to get ${topic} right in one afternoon.`;
    case 'mistake':
      return `The biggest mistake I made with ${topic}.`;
    case 'figure':
      return `${10 + Math.floor(rng() * 80)}% of my ${term} gains came from ${topic}.`;
    case 'claim':
      return `${cap(topic)} is the only lever that matters.`;
  }
}

export function post(choice: Choice, profile: SimProfile, rng: Rng): string {
  const topic = choose(rng, profile.topics);
  const term = choose(rng, profile.vocabulary);
  const opening = openingLine(choice.form, topic, term, rng);
  const closing = choice.question
    ? choose(rng, ['Which part would you try first?', 'What is yours like?'])
    : 'That is what worked here.';
  const fillers = [
    `Start with ${term} and keep it small.`,
    `Write down what you change each week.`,
    `Most of the gain came from doing less, not more.`,
    `Check ${term} again after seven days.`,
    `Keep one note with every result.`,
    `The second try was twice as fast.`,
    `Skip anything you cannot measure.`,
  ];
  const body: string[] = [];
  const target = BANDS[choice.band];
  const length = () => [opening, ...body, closing].join('\n').length;
  for (let i = 0; length() < target - 20 && i < 14; i++) {
    const line = fillers[(i + Math.floor(rng() * fillers.length)) % fillers.length]!;
    body.push(choice.form === 'list' ? `${body.length + 1}. ${line}` : line);
  }
  if (choice.form === 'list' && body.length < 2)
    body.push(`${body.length + 1}. Keep it small.`, `${body.length + 2}. Measure it.`);
  return [opening, ...body, closing].join('\n').slice(0, 500);
}

const START = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const POSTS_PER_DAY = 3;
export const timeOf = (i: number, hour: number) =>
  START + Math.floor(i / POSTS_PER_DAY) * 24 * HOUR + hour * HOUR + 17 * 60_000;

/** How a run picks each post's choice, and what it is told afterwards. */
export interface Policy {
  choose(i: number): Choice;
  observe?(choice: Choice, engagementRate: number): void;
}

export interface Run {
  /** Engagement rate of each post, as the insights give it at 14 days. */
  rates: number[];
  /** The same without the noise. */
  expected: number[];
}

/** Writes and publishes `n` posts for one account, three a day; the same noise seed gives the same noise. */
export function run(
  taste: AudienceTaste,
  accountSeed: number,
  profile: SimProfile,
  n: number,
  policy: Policy,
  noiseSeed: number,
): Run {
  const rng = rngOf(noiseSeed);
  const recent: string[] = [];
  const out: Run = { rates: [], expected: [] };
  for (let i = 0; i < n; i++) {
    const c = policy.choose(i);
    const text = post(c, profile, rng);
    const plan = judgePost(
      {
        accountSeed,
        profile,
        text,
        publishedAt: timeOf(i, c.hour),
        followers: 1000,
        recentTexts: recent,
        seed: noiseSeed * 100_003 + i,
      },
      taste,
    );
    out.rates.push(engagementRate(plan));
    out.expected.push(plan.expectedRate);
    policy.observe?.(c, engagementRate(plan));
    recent.unshift(text);
    if (recent.length > 5) recent.pop();
  }
  return out;
}

export const ALL_CHOICES: Choice[] = FORMS.flatMap((form) =>
  (Object.keys(BANDS) as Band[]).flatMap((band) =>
    [false, true].flatMap((question) => HOURS.map((hour) => ({ form, band, question, hour }))),
  ),
);
