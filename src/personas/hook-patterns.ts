/** The opening forms a post's first line can take; the learning loop later ranks them per persona. */
export const HOOK_PATTERNS = [
  'question',
  'number_list',
  'contrarian',
  'story',
  'how_to',
  'mistake',
  'statistic',
  'bold_claim',
] as const;

export type HookPattern = (typeof HOOK_PATTERNS)[number];
