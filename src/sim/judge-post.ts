import {
  audienceTaste,
  hourCurve,
  lengthCurve,
  tasteAt,
  type AudienceTaste,
  type TasteSnapshot,
} from './audience-taste.ts';
import { ENGAGEMENT_MODEL, planEngagement, type EngagementPlan } from './engagement-model.ts';
import { classifyOpening, readPost, type OpeningForm, type PostReading, type SimProfile } from './post-reading.ts';
import { deriveSeed } from './sim-random.ts';

export interface JudgeInput {
  /** Seeds the account's hidden taste; the HTTP simulator uses accountSeedOf(seed, user id). */
  accountSeed: number;
  /** Supplies the words that may resonate and the topics a post is judged on-topic against. */
  profile: SimProfile | null;
  text: string;
  /** Epoch ms; the UTC hour and the drift are read from it. */
  publishedAt: number;
  /** Followers when the post goes out. */
  followers: number;
  /** The account's earlier top-level posts, newest first; only the last few count (fatigue). */
  recentTexts?: readonly string[];
  hasLink?: boolean;
  /** Seeds this post's noise: the same input and seed give the same plan. */
  seed: number;
}

/** Each term of a post's lift, for inspection and for benchmarks that explain a regret. */
export interface LiftParts {
  opening: number;
  length: number;
  hour: number;
  closingQuestion: number;
  callToAction: number;
  emoji: number;
  words: number;
  topic: number;
  fatigue: number;
}

const T = ENGAGEMENT_MODEL.taste;
const HOUR_MS = 3_600_000;

/** The seed of a simulated account's audience: from the simulator's seed and the account id. */
export function accountSeedOf(simSeed: number, userId: string): number {
  return deriveSeed(simSeed, 'account', userId);
}

/** How much an audience tires of an opening form it saw in the last few posts (0 or less). */
export function fatigueOf(opening: OpeningForm, recentOpenings: readonly OpeningForm[]): number {
  const { perRepeat, window } = T.fatigue;
  let lift = 0;
  recentOpenings.slice(0, window).forEach((form, i) => {
    if (form === opening) lift -= perRepeat * (1 - i / window);
  });
  return lift;
}

export function utcHourOf(t: number): number {
  return (((t % (24 * HOUR_MS)) + 24 * HOUR_MS) % (24 * HOUR_MS)) / HOUR_MS;
}

export function liftParts(
  snapshot: TasteSnapshot,
  reading: PostReading,
  publishedAt: number,
  recentOpenings: readonly OpeningForm[],
): LiftParts {
  const hits = snapshot.words.filter((w) => reading.words.has(w)).length;
  return {
    opening: snapshot.openings[reading.opening],
    length: snapshot.length.weight * lengthCurve(snapshot.length, reading.chars),
    hour: snapshot.hours.weight * hourCurve(snapshot.hours, utcHourOf(publishedAt)),
    closingQuestion: reading.closingQuestion ? snapshot.closingQuestion : 0,
    callToAction: reading.callToAction ? snapshot.callToAction : 0,
    emoji: reading.emoji > 0 ? snapshot.emoji : 0,
    words: snapshot.wordWeight * Math.min(hits, T.maxWordHits),
    topic: T.topicWeight * (reading.topicFit - 0.5),
    fatigue: fatigueOf(reading.opening, recentOpenings),
  };
}

const sum = (parts: LiftParts) => Object.values(parts).reduce((a, b) => a + b, 0);

/**
 * The simulated audience's verdict on one post: what it will earn over its life. A pure function of
 * the text, the publish time, the account's taste (from its seed and profile), its followers, its
 * recent openings and the post's seed. The HTTP simulator publishes through it; benchmarks call it
 * directly to judge thousands of posts without a server.
 */
export function judgePost(
  input: JudgeInput,
  taste: AudienceTaste = audienceTaste(input.accountSeed, input.profile),
): EngagementPlan & { parts: LiftParts } {
  const reading = readPost(input.text, input.profile);
  const recentOpenings = (input.recentTexts ?? []).slice(0, T.fatigue.window).map(classifyOpening);
  const parts = liftParts(tasteAt(taste, input.publishedAt), reading, input.publishedAt, recentOpenings);
  const plan = planEngagement({
    lift: sum(parts),
    opening: reading.opening,
    closingQuestion: reading.closingQuestion,
    callToAction: reading.callToAction,
    followers: input.followers,
    hasLink: input.hasLink ?? false,
    seed: input.seed,
  });
  return { ...plan, parts };
}
