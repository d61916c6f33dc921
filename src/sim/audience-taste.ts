import { ENGAGEMENT_MODEL } from './engagement-model.ts';
import { contentWords, OPENING_FORMS, type OpeningForm, type SimProfile } from './post-reading.ts';
import { createRandom, deriveSeed, normal, pick, sample, uniform, type Random } from './sim-random.ts';

/** A slow sine: the drift of one preference, a pure function of time so a replay sees the same audience. */
export interface Wave {
  amplitude: number;
  periodDays: number;
  phase: number;
}

/**
 * What one account's audience rewards, drawn once from the account's seed. Every number is a lift of
 * the log engagement rate (0 = no effect). Hidden: only GET /__sim/users/:id/taste shows it, for
 * benchmarks that compute regret.
 */
export interface AudienceTaste {
  openings: Record<OpeningForm, number>;
  loved: OpeningForm;
  disliked: OpeningForm;
  /** A bump around `peakChars`, `tolerance` wide in log characters. */
  length: { peakChars: number; tolerance: number; weight: number };
  /** Two bumps over the UTC day; `secondShare` of the weight sits on the second. */
  hours: { peakHour: number; secondHour: number; secondShare: number; sharpness: number; weight: number };
  closingQuestion: number;
  callToAction: number;
  /** Per post that has any emoji. */
  emoji: number;
  /** Content words (singular, lower case) that resonate; each present one adds `wordWeight`, up to maxWordHits. */
  words: string[];
  wordWeight: number;
  drift: {
    openings: Record<OpeningForm, Wave[]>;
    peakHour: Wave;
    /** Multiplies peakChars by exp(wave). */
    lengthPeak: Wave;
    closingQuestion: Wave;
  };
}

/** The taste at one moment, drift applied. */
export type TasteSnapshot = Omit<AudienceTaste, 'drift'> & { at: number };

const T = ENGAGEMENT_MODEL.taste;
const DAY_MS = 86_400_000;

const wave = (rng: Random, amplitude: number, periods: readonly [number, number]): Wave => ({
  amplitude: amplitude * uniform(rng, 0.6, 1.4),
  periodDays: uniform(rng, periods[0], periods[1]),
  phase: uniform(rng, 0, 2 * Math.PI),
});

export function waveAt(w: Wave, t: number): number {
  return w.amplitude * Math.sin((2 * Math.PI * t) / (w.periodDays * DAY_MS) + w.phase);
}

const signed = (rng: Random, [lo, hi]: readonly [number, number]) => (rng() < 0.5 ? -1 : 1) * uniform(rng, lo, hi);

/** Generic words any audience may warm to, beside the account's own vocabulary. */
const GENERIC_WORDS = contentWords(
  'simple honest free fast lesson data boring secret real numbers habit tool focus quiet hard cheap proof result weekend template checklist story',
);

function resonantWords(rng: Random, profile: SimProfile | null): string[] {
  const own = profile ? contentWords([...profile.topics, ...profile.vocabulary].join(' ')) : [];
  return [...sample(rng, own, T.profileWords), ...sample(rng, GENERIC_WORDS, T.genericWords)];
}

/** The account's audience, drawn from its seed; the profile only supplies the words that may resonate. */
export function audienceTaste(accountSeed: number, profile: SimProfile | null): AudienceTaste {
  const rng = createRandom(deriveSeed(accountSeed, 'taste'));
  const openings = Object.fromEntries(OPENING_FORMS.map((f) => [f, T.openingSigma * normal(rng)])) as Record<
    OpeningForm,
    number
  >;
  const loved = pick(rng, OPENING_FORMS);
  const disliked = pick(
    rng,
    OPENING_FORMS.filter((f) => f !== loved),
  );
  openings[loved] += T.lovedBonus;
  openings[disliked] -= T.dislikedPenalty;
  const peakHour = uniform(rng, 0, 24);
  const taste: AudienceTaste = {
    openings,
    loved,
    disliked,
    length: {
      peakChars: Math.exp(uniform(rng, Math.log(T.peakChars[0]), Math.log(T.peakChars[1]))),
      tolerance: uniform(rng, ...T.lengthTolerance),
      weight: uniform(rng, ...T.lengthWeight),
    },
    hours: {
      peakHour,
      secondHour: (peakHour + uniform(rng, 6, 18)) % 24,
      secondShare: uniform(rng, 0, 0.45),
      sharpness: uniform(rng, ...T.hourSharpness),
      weight: uniform(rng, ...T.hourWeight),
    },
    closingQuestion: signed(rng, T.closingQuestion),
    callToAction: signed(rng, T.callToAction),
    emoji: uniform(rng, -T.emoji, T.emoji),
    words: resonantWords(createRandom(deriveSeed(accountSeed, 'words')), profile),
    wordWeight: T.wordWeight,
    drift: {
      openings: Object.fromEntries(
        OPENING_FORMS.map((f) => [
          f,
          [wave(rng, T.drift.opening, T.drift.periodDays), wave(rng, T.drift.opening, T.drift.periodDays)],
        ]),
      ) as Record<OpeningForm, Wave[]>,
      peakHour: wave(rng, T.drift.peakHourHours, T.drift.periodDays),
      lengthPeak: wave(rng, T.drift.lengthPeakLog, T.drift.periodDays),
      closingQuestion: wave(rng, T.drift.closingQuestion, T.drift.periodDays),
    },
  };
  return taste;
}

/** The taste at time `t` (ms): each preference moved along its slow waves. */
export function tasteAt(taste: AudienceTaste, t: number): TasteSnapshot {
  const { drift, ...rest } = taste;
  const openings = Object.fromEntries(
    OPENING_FORMS.map((f) => [f, taste.openings[f] + drift.openings[f].reduce((sum, w) => sum + waveAt(w, t), 0)]),
  ) as Record<OpeningForm, number>;
  const shift = waveAt(drift.peakHour, t);
  return {
    ...rest,
    at: t,
    openings,
    length: { ...taste.length, peakChars: taste.length.peakChars * Math.exp(waveAt(drift.lengthPeak, t)) },
    hours: {
      ...taste.hours,
      peakHour: (taste.hours.peakHour + shift + 24) % 24,
      secondHour: (taste.hours.secondHour + shift + 24) % 24,
    },
    closingQuestion: taste.closingQuestion + waveAt(drift.closingQuestion, t),
  };
}

const bump = (hour: number, peak: number, sharpness: number) =>
  Math.exp(sharpness * (Math.cos((2 * Math.PI * (hour - peak)) / 24) - 1));

function rawHourCurve(h: TasteSnapshot['hours'], hour: number): number {
  return (
    (1 - h.secondShare) * bump(hour, h.peakHour, h.sharpness) + h.secondShare * bump(hour, h.secondHour, h.sharpness)
  );
}

/** −…+1 over the UTC day, 0 on average and 1 at the best hour, so `weight` is the gain of the best hour over a random one. */
export function hourCurve(h: TasteSnapshot['hours'], hour: number): number {
  let sum = 0;
  let max = 0;
  for (let q = 0; q < 96; q++) {
    const v = rawHourCurve(h, q / 4);
    sum += v;
    max = Math.max(max, v);
  }
  const mean = sum / 96;
  return (rawHourCurve(h, hour) - mean) / (max - mean);
}

/** −0.5…+0.5: +0.5 at the preferred length, falling off in log characters. */
export function lengthCurve(l: TasteSnapshot['length'], chars: number): number {
  const d = Math.log(Math.max(1, chars) / l.peakChars) / l.tolerance;
  return Math.exp(-0.5 * d * d) - 0.5;
}
