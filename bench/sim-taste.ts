/**
 * How much the simulator's hidden audience taste leaves for a learner to win: for 10 accounts × 5 seeds,
 * the engagement rate of (a) uniformly random choices (opening form × length band × closing question ×
 * hour), (b) the best fixed choice per account found by brute force (the oracle) and (c) a reference
 * learner of a few lines (Thompson sampling per choice, no sharing between accounts, no discounting).
 * A product learner can only show its target (1.3× uniform) if the oracle's ratio is well above it.
 *
 *   npx tsx bench/sim-taste.ts [posts-per-account] [seeds]      # defaults 300 and 1,2,3,4,5
 *
 * Posts come from the template generator in bench/_sim-posts.ts, judged with the simulator's judgePost,
 * without HTTP. SHOW_MISREAD=1 prints the template openings the simulator reads as another form.
 */
import { performance } from 'node:perf_hooks';
import {
  accountSeedOf,
  audienceTaste,
  classifyOpening,
  judgePost,
  type AudienceTaste,
  type SimProfile,
} from '../src/sim/index.ts';
import {
  ACCOUNTS,
  ALL_CHOICES,
  BANDS,
  FORMS,
  choose,
  post,
  rngOf,
  run,
  timeOf,
  type Band,
  type Choice,
  type Policy,
} from './_sim-posts.ts';
import { positionalArgs, reportBench } from './bench-result.ts';

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

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Standard normal from the bench's own generator. */
function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

/**
 * The reference learner: for each of form, band, closing question and 3-hour block separately, Thompson
 * sampling on the log engagement rate (normal, σ 0.5, one pseudo-post at the running mean as prior).
 */
function referenceLearner(seed: number): Policy {
  const rng = rngOf(seed);
  const bands = Object.keys(BANDS) as Band[];
  const arms = { form: FORMS.length, band: bands.length, question: 2, block: 8 };
  const stats = Object.fromEntries(
    Object.entries(arms).map(([k, n]) => [k, Array.from({ length: n }, () => ({ sum: 0, n: 0 }))]),
  ) as Record<keyof typeof arms, { sum: number; n: number }[]>;
  let total = 0;
  let count = 0;
  const last: Record<keyof typeof arms, number> = { form: 0, band: 0, question: 0, block: 0 };
  const draw = (k: keyof typeof arms) => {
    const prior = count ? total / count : Math.log(0.05);
    let best = 0;
    let bestValue = -Infinity;
    stats[k].forEach((a, j) => {
      const v = (a.sum + prior) / (a.n + 1) + (0.5 / Math.sqrt(a.n + 1)) * gaussian(rng);
      if (v > bestValue) [best, bestValue] = [j, v];
    });
    last[k] = best;
    return best;
  };
  return {
    choose: () => ({
      form: FORMS[draw('form')]!,
      band: bands[draw('band')]!,
      question: draw('question') === 1,
      hour: draw('block') * 3 + Math.floor(rng() * 3),
    }),
    observe: (_choice, rate) => {
      const y = Math.log(rate + 0.002);
      total += y;
      count++;
      for (const k of Object.keys(arms) as (keyof typeof arms)[]) {
        stats[k][last[k]]!.sum += y;
        stats[k][last[k]]!.n++;
      }
    },
  };
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
  // This bench has one size: --scale changes nothing.
  const [postsArg, seedsArg] = positionalArgs();
  const n = Number(postsArg ?? 300);
  const seeds = (seedsArg ?? '1,2,3,4,5').split(',').map(Number);
  const lastN = Math.min(100, n);
  const started = performance.now();
  console.log(
    `${ACCOUNTS.length} accounts × ${seeds.length} seeds × ${n} posts per policy; ${ALL_CHOICES.length} fixed choices searched per account`,
  );
  console.log(
    `template posts whose opening the simulator reads as another form: ${misclassified()} of ${(ALL_CHOICES.length / 24) * ACCOUNTS.length}`,
  );
  console.log(`mean engagement rate per post; "last" = the last ${lastN} posts of each account`);
  console.log(
    'seed | uniform | oracle | oracle/uniform | same, expected rates | lowest account | learner, last | learner/uniform, last',
  );
  const totals = {
    uniform: [] as number[],
    oracle: [] as number[],
    learnerLast: [] as number[],
    uniformLast: [] as number[],
  };
  const accountRatios: number[] = [];
  for (const seed of seeds) {
    const per = {
      uniform: [] as number[],
      oracle: [] as number[],
      uniformE: [] as number[],
      oracleE: [] as number[],
      learnerLast: [] as number[],
      uniformLast: [] as number[],
    };
    ACCOUNTS.forEach((profile, k) => {
      const accountSeed = accountSeedOf(seed, `bench-account-${k}`);
      const taste = audienceTaste(accountSeed, profile);
      const pickRng = rngOf(seed * 7919 + k);
      const noise = seed * 31 + k;
      const u = run(taste, accountSeed, profile, n, { choose: () => choose(pickRng, ALL_CHOICES) }, noise);
      const best = oracle(taste, accountSeed, profile, n);
      const o = run(taste, accountSeed, profile, n, { choose: () => best }, noise);
      const l = run(taste, accountSeed, profile, n, referenceLearner(noise), noise);
      per.uniform.push(mean(u.rates));
      per.oracle.push(mean(o.rates));
      per.uniformE.push(mean(u.expected));
      per.oracleE.push(mean(o.expected));
      per.uniformLast.push(mean(u.rates.slice(-lastN)));
      per.learnerLast.push(mean(l.rates.slice(-lastN)));
      accountRatios.push(mean(o.rates) / mean(u.rates));
    });
    const ratio = mean(per.oracle) / mean(per.uniform);
    const lowest = Math.min(...accountRatios.slice(-ACCOUNTS.length));
    console.log(
      `${seed} | ${mean(per.uniform).toFixed(4)} | ${mean(per.oracle).toFixed(4)} | ${ratio.toFixed(2)} | ${(mean(per.oracleE) / mean(per.uniformE)).toFixed(2)} | ${lowest.toFixed(2)} | ${mean(per.learnerLast).toFixed(4)} | ${(mean(per.learnerLast) / mean(per.uniformLast)).toFixed(2)}`,
    );
    totals.uniform.push(...per.uniform);
    totals.oracle.push(...per.oracle);
    totals.learnerLast.push(...per.learnerLast);
    totals.uniformLast.push(...per.uniformLast);
  }
  const sorted = [...accountRatios].sort((a, b) => a - b);
  console.log(
    `overall: oracle/uniform ${(mean(totals.oracle) / mean(totals.uniform)).toFixed(2)} (target ≥ 1.5), per account min ${sorted[0]!.toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}; reference learner, last ${lastN}: ${(mean(totals.learnerLast) / mean(totals.uniformLast)).toFixed(2)}× uniform`,
  );
  console.log(`wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const oracleRatio = mean(totals.oracle) / mean(totals.uniform);
  reportBench('sim-taste', [
    {
      figure: `best fixed choice per account, mean ER (× uniform), seeds ${seeds.join(',')}`,
      value: mean(totals.oracle),
      unit: 'ER',
      baseline: `uniform ${mean(totals.uniform).toFixed(4)}`,
      ratio: oracleRatio,
      target: '≥ 1.5× uniform',
      met: oracleRatio >= 1.5,
    },
    {
      figure: `reference learner, last ${lastN} posts (× uniform)`,
      value: mean(totals.learnerLast),
      unit: 'ER',
      baseline: `uniform ${mean(totals.uniformLast).toFixed(4)}`,
      ratio: mean(totals.learnerLast) / mean(totals.uniformLast),
      target: null,
      met: null,
    },
  ]);
  // What a learning benchmark pays per judged post: 3,000 posts of one account, taste drawn once.
  const profile = ACCOUNTS[0]!;
  const accountSeed = accountSeedOf(1, 'timing');
  const taste = audienceTaste(accountSeed, profile);
  const t0 = performance.now();
  run(taste, accountSeed, profile, 3000, { choose: (i) => ALL_CHOICES[(i * 7919) % ALL_CHOICES.length]! }, 1);
  console.log(
    `3,000 posts judged (and written by the template generator) in ${(performance.now() - t0).toFixed(0)} ms`,
  );
}

main();
