/**
 * The choices about a post's shape that the learning loop makes besides its opening form (the hook
 * pattern), and every writer honours: the offline composer by construction, a model by instruction.
 */
export const LENGTH_BANDS = ['short', 'medium', 'long'] as const;
export type LengthBand = (typeof LENGTH_BANDS)[number];

/** Characters of the whole post each band aims at (Threads allows 500). */
export const LENGTH_BAND_CHARS: Readonly<Record<LengthBand, { min: number; max: number }>> = {
  short: { min: 60, max: 180 },
  medium: { min: 180, max: 330 },
  long: { min: 330, max: 500 },
};

export const CLOSINGS = ['question', 'call_to_action', 'none'] as const;
export type Closing = (typeof CLOSINGS)[number];

export interface ContentArms {
  length: LengthBand;
  closing: Closing;
  emoji: boolean;
}
