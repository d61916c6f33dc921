import { describe, expect, it } from 'vitest';
import { audienceTaste, hourCurve, tasteAt, type AudienceTaste } from '../../src/sim/audience-taste.ts';
import {
  ENGAGEMENT_MODEL,
  ageForShare,
  countAt,
  engagementRate,
  followersAt,
  planEngagement,
  shareAt,
} from '../../src/sim/engagement-model.ts';
import { accountSeedOf, judgePost, type JudgeInput } from '../../src/sim/judge-post.ts';
import { OPENING_FORMS, type OpeningForm, type SimProfile } from '../../src/sim/post-reading.ts';

const profile: SimProfile = {
  niche: 'bootstrapped indie SaaS',
  topics: ['churn from expired cards', 'pricing a $29 plan versus a $49 plan'],
  vocabulary: ['MRR', 'churn', 'dunning emails', 'trial-to-paid'],
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.UTC(2026, 0, 5);
const SEEDS = Array.from({ length: 400 }, (_, i) => i + 1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const BODY = 'We sent dunning emails three days before each card expired.\nMRR stopped leaking within a month.';
const OPENINGS: Record<Exclude<OpeningForm, 'plain'>, string> = {
  question: 'Why do so many trials never convert?',
  list: '4 dunning emails that saved our churn:',
  contrarian: 'Unpopular opinion: annual plans are overrated.',
  story: 'Last spring we almost shut the product down.',
  how_to: 'How to win back expired cards in a week.',
  mistake: 'The biggest mistake we made with churn.',
  figure: '38% of our churn came from expired cards.',
  claim: 'Churn is the only metric that matters early on.',
};
const textWith = (form: keyof typeof OPENINGS, closing = 'That is what worked for us.') =>
  `${OPENINGS[form]}\n${BODY}\n${closing}`;

const accountSeed = (k: number) => accountSeedOf(42, `account-${k}`);
const judge = (input: Partial<JudgeInput> & { text: string }, seed: number) =>
  judgePost({ accountSeed: accountSeed(0), profile, publishedAt: MONDAY + 15 * HOUR, followers: 1000, seed, ...input });
const meanRate = (input: Partial<JudgeInput> & { text: string }) =>
  mean(SEEDS.map((s) => engagementRate(judge(input, s))));

/** The first account (of many) whose taste satisfies `test`. */
function accountWhere(test: (taste: AudienceTaste) => boolean): { seed: number; taste: AudienceTaste } {
  for (let k = 0; k < 500; k++) {
    const taste = audienceTaste(accountSeed(k), profile);
    if (test(taste)) return { seed: accountSeed(k), taste };
  }
  throw new Error('no such account among 500');
}

describe('audience taste', () => {
  it('is drawn from the account seed: the same seed gives the same taste, other accounts differ', () => {
    expect(audienceTaste(accountSeed(1), profile)).toEqual(audienceTaste(accountSeed(1), profile));
    const tastes = Array.from({ length: 40 }, (_, k) => audienceTaste(accountSeed(k), profile));
    expect(new Set(tastes.map((t) => t.loved)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(tastes.map((t) => Math.floor(t.hours.peakHour / 3))).size).toBeGreaterThanOrEqual(6);
    expect(tastes.some((t) => t.closingQuestion > 0) && tastes.some((t) => t.closingQuestion < 0)).toBe(true);
    for (const t of tastes) expect(t.loved).not.toBe(t.disliked);
  });

  it('takes some resonant words from the account profile and some generic ones', () => {
    const taste = audienceTaste(accountSeed(3), profile);
    expect(taste.words).toHaveLength(ENGAGEMENT_MODEL.taste.profileWords + ENGAGEMENT_MODEL.taste.genericWords);
    const own = ['churn', 'expired', 'card', 'pricing', 'plan', 'versu', 'mrr', 'dunning', 'email', 'trial', 'paid'];
    expect(taste.words.filter((w) => own.includes(w))).toHaveLength(ENGAGEMENT_MODEL.taste.profileWords);
  });

  it('drifts slowly and deterministically with time', () => {
    const taste = audienceTaste(accountSeed(5), profile);
    const now = tasteAt(taste, MONDAY);
    const hourLater = tasteAt(taste, MONDAY + HOUR);
    const later = tasteAt(taste, MONDAY + 60 * DAY);
    expect(tasteAt(taste, MONDAY)).toEqual(now);
    const moved = (a: typeof now, b: typeof now) =>
      Math.max(...OPENING_FORMS.map((f) => Math.abs(a.openings[f] - b.openings[f])));
    expect(moved(now, hourLater)).toBeLessThan(0.001);
    expect(moved(now, later)).toBeGreaterThan(0.03);
    expect(later.length.peakChars).not.toBeCloseTo(now.length.peakChars, 0);
  });

  it('has an hour curve that averages 0 over the day and peaks at 1', () => {
    const h = tasteAt(audienceTaste(accountSeed(2), profile), MONDAY).hours;
    const values = Array.from({ length: 96 }, (_, q) => hourCurve(h, q / 4));
    expect(mean(values)).toBeCloseTo(0, 6);
    expect(Math.max(...values)).toBeCloseTo(1, 6);
  });
});

describe('judgePost', () => {
  it('rewards the opening form the account loves over the one it dislikes', () => {
    const { seed, taste } = accountWhere((t) => t.loved !== 'plain' && t.disliked !== 'plain');
    const loved = meanRate({ accountSeed: seed, text: textWith(taste.loved as keyof typeof OPENINGS) });
    const disliked = meanRate({ accountSeed: seed, text: textWith(taste.disliked as keyof typeof OPENINGS) });
    expect(loved / disliked).toBeGreaterThan(1.5);
  });

  it('judges the same opening differently for different accounts', () => {
    const a = accountWhere((t) => t.loved === 'question');
    const b = accountWhere((t) => t.disliked === 'question');
    const text = textWith('question');
    expect(meanRate({ accountSeed: a.seed, text })).toBeGreaterThan(1.3 * meanRate({ accountSeed: b.seed, text }));
  });

  it("rewards posting at the account's best hour over its worst", () => {
    const { seed, taste } = accountWhere((t) => t.hours.weight > 0.3);
    const h = tasteAt(taste, MONDAY).hours;
    const hours = Array.from({ length: 24 }, (_, x) => x);
    const best = hours.reduce((a, b) => (hourCurve(h, b) > hourCurve(h, a) ? b : a));
    const worst = hours.reduce((a, b) => (hourCurve(h, b) < hourCurve(h, a) ? b : a));
    const at = (hour: number) =>
      meanRate({ accountSeed: seed, text: textWith('claim'), publishedAt: MONDAY + hour * HOUR });
    expect(at(best) / at(worst)).toBeGreaterThan(1.25);
  });

  it("prefers posts near the account's preferred length", () => {
    const { seed } = accountWhere((t) => t.length.peakChars < 120 && t.length.weight > 0.45);
    const short = textWith('claim');
    const long = `${OPENINGS.claim}\n${BODY}\n${'We also rewrote the billing page so the update form loads first. '.repeat(5)}\nThat is what worked for us.`;
    expect([...long].length).toBeGreaterThan(400);
    expect(meanRate({ accountSeed: seed, text: short })).toBeGreaterThan(
      1.15 * meanRate({ accountSeed: seed, text: long }),
    );
  });

  it('lets a closing question help one audience and hurt another', () => {
    const asked = textWith('claim', 'Would you try this on your MRR?');
    const told = textWith('claim');
    const likes = accountWhere((t) => t.closingQuestion > 0.2);
    const dislikes = accountWhere((t) => t.closingQuestion < -0.2);
    expect(meanRate({ accountSeed: likes.seed, text: asked })).toBeGreaterThan(
      meanRate({ accountSeed: likes.seed, text: told }),
    );
    expect(meanRate({ accountSeed: dislikes.seed, text: asked })).toBeLessThan(
      meanRate({ accountSeed: dislikes.seed, text: told }),
    );
  });

  it('draws more replies per like with a closing question, whatever the taste', () => {
    const asked = textWith('claim', 'Would you try this on your MRR?');
    const told = textWith('claim');
    const ratio = (text: string) => {
      const plans = SEEDS.map((s) => judge({ text }, s));
      return plans.reduce((a, p) => a + p.replies, 0) / plans.reduce((a, p) => a + p.likes, 0);
    };
    expect(ratio(asked)).toBeGreaterThan(1.3 * ratio(told));
  });

  it('tires of an opening form that repeats in the recent posts', () => {
    const text = textWith('figure');
    const repeated = Array.from({ length: 5 }, () => textWith('figure'));
    const varied = (['story', 'question', 'list', 'how_to', 'claim'] as const).map((f) => textWith(f));
    const tired = judge({ text, recentTexts: repeated }, 1);
    const fresh = judge({ text, recentTexts: varied }, 1);
    expect(tired.parts.fatigue).toBeLessThan(-0.15);
    expect(fresh.parts.fatigue).toBe(0);
    expect(meanRate({ text, recentTexts: repeated })).toBeLessThan(0.9 * meanRate({ text, recentTexts: varied }));
  });

  it('leaves room for a learner: the best fixed choice earns at least 1.5× a random one', () => {
    const bands = { short: '', medium: `\n${BODY}`, long: `\n${BODY}\n${BODY}\n${BODY}\n${BODY}` };
    const forms = Object.keys(OPENINGS) as (keyof typeof OPENINGS)[];
    const ratios = Array.from({ length: 8 }, (_, k) => {
      const rates: number[] = [];
      for (const form of forms) {
        for (const body of Object.values(bands)) {
          for (const closing of ['That is what worked for us.', 'What would you try first?']) {
            for (let hour = 0; hour < 24; hour += 2) {
              const text = `${OPENINGS[form]}${body}\n${closing}`;
              rates.push(
                judgePost({
                  accountSeed: accountSeed(k),
                  profile,
                  text,
                  publishedAt: MONDAY + hour * HOUR,
                  followers: 1000,
                  seed: 1,
                }).expectedRate,
              );
            }
          }
        }
      }
      return Math.max(...rates) / mean(rates);
    });
    expect(mean(ratios)).toBeGreaterThan(1.5);
    expect(Math.min(...ratios)).toBeGreaterThan(1.2);
  });

  it('keeps noise realistic: no fixed ordering, and a viral tail', () => {
    const { seed, taste } = accountWhere((t) => t.loved === 'list' && t.disliked !== 'plain');
    const good = SEEDS.map((s) => judge({ accountSeed: seed, text: textWith('list') }, s));
    const bad = SEEDS.map((s) =>
      judge({ accountSeed: seed, text: textWith(taste.disliked as keyof typeof OPENINGS) }, s),
    );
    expect(Math.max(...bad.map(engagementRate))).toBeGreaterThan(Math.min(...good.map(engagementRate)));
    const viral = good.filter((p) => p.viral);
    expect(viral.length).toBeGreaterThan(0);
    expect(viral.length).toBeLessThan(0.15 * good.length);
    expect(mean(viral.map((p) => p.views))).toBeGreaterThan(3 * mean(good.filter((p) => !p.viral).map((p) => p.views)));
  });

  it('scales reach with followers', () => {
    const views = (followers: number) => mean(SEEDS.map((s) => judge({ text: textWith('list'), followers }, s).views));
    expect(views(10_000)).toBeGreaterThan(5 * views(100));
  });

  it('is a pure function of its input', () => {
    const input = { text: textWith('story'), hasLink: true };
    expect(judge(input, 7)).toEqual(judge(input, 7));
    expect(judge(input, 8).views).not.toBe(judge(input, 7).views);
    expect(judge({ ...input, accountSeed: accountSeed(9) }, 7).lift).not.toBe(judge(input, 7).lift);
    expect(judge({ ...input, publishedAt: MONDAY + 3 * HOUR }, 7).lift).not.toBe(judge(input, 7).lift);
    expect(judge(input, 7).clicks).toBeGreaterThan(0);
    expect(judge({ ...input, hasLink: false }, 7).clicks).toBe(0);
  });

  it('judges topic fit against the profile, neutral without one', () => {
    const onTopic = judge({ text: textWith('claim') }, 1).parts.topic;
    const offTopic = judge(
      { text: 'Sourdough is the only bread that matters.\nFeed the starter twice.\nThat is all.' },
      1,
    ).parts.topic;
    expect(onTopic).toBeGreaterThan(0);
    expect(offTopic).toBeLessThan(0);
    expect(judge({ text: textWith('claim'), profile: null }, 1).parts.topic).toBe(0);
  });
});

describe('accrual over time', () => {
  it('earns most in the first day, little after a week, everything at the horizon', () => {
    expect(shareAt(0)).toBe(0);
    expect(shareAt(HOUR)).toBeGreaterThan(0.1);
    expect(shareAt(DAY)).toBeGreaterThan(0.8);
    expect(shareAt(7 * DAY) - shareAt(6 * DAY)).toBeLessThan(0.02);
    expect(shareAt(ENGAGEMENT_MODEL.timing.horizonDays * DAY)).toBe(1);
    expect(countAt(1000, 30 * DAY)).toBe(1000);
  });

  it('never decreases, and ageForShare inverts shareAt', () => {
    let last = 0;
    for (let t = 0; t <= 15 * DAY; t += HOUR) {
      const c = countAt(537, t);
      expect(c).toBeGreaterThanOrEqual(last);
      last = c;
    }
    for (const s of [0.1, 0.5, 0.9, 0.99]) expect(shareAt(ageForShare(s))).toBeCloseTo(s, 6);
  });
});

describe('followers', () => {
  const account = { initialFollowers: 1000, createdAt: 0 };
  const plan = (lift: number, seed: number) =>
    planEngagement({
      lift,
      opening: 'claim',
      closingQuestion: false,
      callToAction: false,
      followers: 1000,
      hasLink: false,
      seed,
    });

  it('grow with what the posts earn: well-received posts gain more followers than poorly received ones', () => {
    const week = (lift: number) =>
      Array.from({ length: 7 }, (_, day) => ({ publishedAt: day * DAY, follows: plan(lift, 100 + day).follows }));
    const good = followersAt(account, week(0.8), 14 * DAY);
    const bad = followersAt(account, week(-0.6), 14 * DAY);
    expect(good).toBeGreaterThan(1000);
    expect(good - 1000).toBeGreaterThan(2 * Math.max(1, bad - 1000));
    expect(mean(SEEDS.map((s) => plan(0.8, s).follows))).toBeGreaterThan(mean(SEEDS.map((s) => plan(-0.6, s).follows)));
  });

  it('churn slowly without posts', () => {
    const after30 = followersAt(account, [], 30 * DAY);
    expect(after30).toBeLessThan(1000);
    expect(after30).toBeGreaterThan(950);
    expect(followersAt(account, [], 0)).toBe(1000);
  });

  it("count a post's follows as they accrue, not before it is published", () => {
    const gains = [{ publishedAt: 10 * DAY, follows: 200 }];
    expect(followersAt(account, gains, 5 * DAY)).toBe(followersAt(account, [], 5 * DAY));
    expect(followersAt(account, gains, 10 * DAY + 6 * HOUR)).toBeLessThan(followersAt(account, gains, 12 * DAY));
  });
});
