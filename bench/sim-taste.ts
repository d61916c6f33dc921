/**
 * How much the simulator's hidden audience taste leaves for a learner to win: for 10 accounts × 5 seeds,
 * the engagement rate of uniformly random choices (opening form × length band × closing question × hour)
 * against the best fixed choice per account found by brute force (the oracle). A learner can only show
 * its target (1.3× uniform) if the oracle's ratio is well above it.
 *
 *   npx tsx bench/sim-taste.ts [posts-per-account] [seeds]      # defaults 300 and 1,2,3,4,5
 *
 * Posts come from a small template generator written here (not the product's composer), judged with
 * the simulator's judgePost, without HTTP.
 */
import { performance } from 'node:perf_hooks';
import {
  accountSeedOf,
  audienceTaste,
  classifyOpening,
  engagementRate,
  judgePost,
  type AudienceTaste,
  type OpeningForm,
  type SimProfile,
} from '../src/sim/index.ts';

const FORMS = [
  'question',
  'list',
  'contrarian',
  'story',
  'how_to',
  'mistake',
  'figure',
  'claim',
] as const satisfies readonly OpeningForm[];
const BANDS = { short: 110, medium: 220, long: 400 } as const;
type Band = keyof typeof BANDS;
const HOURS = Array.from({ length: 24 }, (_, h) => h);
interface Choice {
  form: (typeof FORMS)[number];
  band: Band;
  question: boolean;
  hour: number;
}

const ACCOUNTS: SimProfile[] = [
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
function rngOf(seed: number) {
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
type Rng = () => number;
const choose = <T>(rng: Rng, xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;
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

function post(choice: Choice, profile: SimProfile, rng: Rng): string {
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
const timeOf = (i: number, hour: number) =>
  START + Math.floor(i / POSTS_PER_DAY) * 24 * HOUR + hour * HOUR + 17 * 60_000;

interface Run {
  rate: number;
  expected: number;
}

/** Posts `n` times for one account; `choose` picks each post's choice. */
function run(
  taste: AudienceTaste,
  accountSeed: number,
  profile: SimProfile,
  n: number,
  pickChoice: (i: number) => Choice,
  noiseSeed: number,
): Run {
  const rng = rngOf(noiseSeed);
  const recent: string[] = [];
  let rate = 0;
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const c = pickChoice(i);
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
    rate += engagementRate(plan);
    expected += plan.expectedRate;
    recent.unshift(text);
    if (recent.length > 5) recent.pop();
  }
  return { rate: rate / n, expected: expected / n };
}

const ALL_CHOICES: Choice[] = FORMS.flatMap((form) =>
  (Object.keys(BANDS) as Band[]).flatMap((band) =>
    [false, true].flatMap((question) => HOURS.map((hour) => ({ form, band, question, hour }))),
  ),
);

/**
 * Brute force: every fixed choice, scored by its mean expected rate at every 10th post of the schedule
 * (so the drift over the whole run counts), with the audience tired of that form as a fixed choice makes it.
 */
function oracle(taste: AudienceTaste, accountSeed: number, profile: SimProfile, n: number): Choice {
  const rng = rngOf(accountSeed);
  let best = { choice: ALL_CHOICES[0]!, score: -Infinity };
  for (const choice of ALL_CHOICES) {
    const recentTexts = Array.from({ length: 5 }, () => post(choice, profile, rng));
    let score = 0;
    for (let i = 0; i < n; i += 10) {
      const text = post(choice, profile, rng);
      score += judgePost(
        { accountSeed, profile, text, publishedAt: timeOf(i, choice.hour), followers: 1000, recentTexts, seed: i },
        taste,
      ).expectedRate;
    }
    if (score > best.score) best = { choice, score };
  }
  return best.choice;
}

function misclassified(): number {
  const rng = rngOf(99);
  let wrong = 0;
  for (const choice of ALL_CHOICES.filter((c) => c.hour === 9)) {
    for (const profile of ACCOUNTS) {
      const text = post(choice, profile, rng);
      if (classifyOpening(text) !== choice.form) {
        wrong++;
        if (process.env.SHOW_MISREAD)
          console.log(choice.form, '→', classifyOpening(text), JSON.stringify(text.split('\n')[0]));
      }
    }
  }
  return wrong;
}

function main() {
  const n = Number(process.argv[2] ?? 300);
  const seeds = (process.argv[3] ?? '1,2,3,4,5').split(',').map(Number);
  const started = performance.now();
  console.log(
    `${ACCOUNTS.length} accounts × ${seeds.length} seeds × ${n} posts per policy; ${ALL_CHOICES.length} fixed choices searched per account`,
  );
  console.log(
    `template posts whose opening the simulator reads as another form: ${misclassified()} of ${(ALL_CHOICES.length / 24) * ACCOUNTS.length}`,
  );
  console.log(
    'seed | uniform rate | oracle rate | ratio | ratio (expected rates) | min account ratio | oracle choices',
  );
  const ratios: number[] = [];
  const allAccountRatios: number[] = [];
  for (const seed of seeds) {
    let uni = 0;
    let orc = 0;
    let uniE = 0;
    let orcE = 0;
    const accountRatios: number[] = [];
    const picks: string[] = [];
    ACCOUNTS.forEach((profile, k) => {
      const accountSeed = accountSeedOf(seed, `bench-account-${k}`);
      const taste = audienceTaste(accountSeed, profile);
      const pickRng = rngOf(seed * 7919 + k);
      const u = run(taste, accountSeed, profile, n, () => choose(pickRng, ALL_CHOICES), seed * 31 + k);
      const best = oracle(taste, accountSeed, profile, n);
      const o = run(taste, accountSeed, profile, n, () => best, seed * 31 + k);
      uni += u.rate;
      orc += o.rate;
      uniE += u.expected;
      orcE += o.expected;
      accountRatios.push(o.rate / u.rate);
      picks.push(`${best.form}/${best.band}/${best.question ? 'q' : '-'}/${best.hour}h`);
    });
    const ratio = orc / uni;
    ratios.push(ratio);
    allAccountRatios.push(...accountRatios);
    const k = ACCOUNTS.length;
    console.log(
      `${seed} | ${(uni / k).toFixed(4)} | ${(orc / k).toFixed(4)} | ${ratio.toFixed(2)} | ${(orcE / uniE).toFixed(2)} | ${Math.min(...accountRatios).toFixed(2)} | ${picks.slice(0, 4).join(' ')} …`,
    );
  }
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const sorted = [...allAccountRatios].sort((a, b) => a - b);
  console.log(
    `overall: oracle/uniform ${mean.toFixed(2)} (target ≥ 1.5); per account min ${sorted[0]!.toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}`,
  );
  console.log(`wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // What a learning benchmark pays per judged post: 3,000 posts of one account, taste drawn once.
  const profile = ACCOUNTS[0]!;
  const accountSeed = accountSeedOf(1, 'timing');
  const taste = audienceTaste(accountSeed, profile);
  const t0 = performance.now();
  run(taste, accountSeed, profile, 3000, (i) => ALL_CHOICES[(i * 7919) % ALL_CHOICES.length]!, 1);
  console.log(
    `3,000 posts judged (and written by the template generator) in ${(performance.now() - t0).toFixed(0)} ms`,
  );
}

main();
