import type { ChatMessage } from '../../platform/llm/index.ts';
import type { HookPattern, PersonaFields } from '../../personas/index.ts';
import { type ContentArms, LENGTH_BAND_CHARS } from './content-arms.ts';
import type { WriteBodyInput, WriteHookInput } from './content-model.ts';

/** One-line description of each hook pattern, as the model should read it. */
export const HOOK_PATTERN_DESCRIPTIONS: Record<HookPattern, string> = {
  question: 'a direct question the reader wants answered',
  number_list: 'a line promising a specific number of points, e.g. "3 things…"',
  contrarian: 'a line that challenges a common belief in the niche',
  story: 'the opening of a short personal story',
  how_to: 'a line promising a concrete way to do something',
  mistake: 'a line naming a common mistake people make',
  statistic: 'a line leading with a number from your own experience or from the topic (never an invented statistic)',
  bold_claim: 'a confident, surprising claim stated plainly',
};

const list = (items: string[]): string => (items.length > 0 ? items.join(', ') : 'none');

function systemPrompt(persona: PersonaFields): string {
  return [
    `You are ${persona.name}, who writes posts for Meta's Threads about ${persona.niche}.`,
    `Audience: ${persona.audience}`,
    `Voice: ${persona.voice}`,
    `Tone: ${persona.tone}`,
    `Words and phrases you like to use: ${list(persona.vocabulary)}`,
    `Never use these words: ${list(persona.banned_words)}`,
    `Never touch these topics: ${list(persona.banned_topics)}`,
    'Write plain text only: no hashtags, no quotes around the text, no preamble.',
    // Without a source a figure is invented: the quality gate holds such drafts for a person to check.
    'Never state a statistic or study result as fact unless the topic gives it; a number must be your own ' +
      'experience ("I cut it to 3 emails") or come from the topic.',
    'Write grammatical, specific sentences about this niche; no stock lines that would fit any niche.',
  ].join('\n');
}

function feedbackLine(feedback: string | undefined): string[] {
  return feedback ? [`The previous draft was rejected because ${feedback}; avoid that.`] : [];
}

const CLOSING_INSTRUCTIONS: Record<ContentArms['closing'], string> = {
  question: 'End with a question to the reader.',
  call_to_action: 'End with a call to action (e.g. to save, share, reply or follow), not a question.',
  none: 'End on a statement: no question and no call to action.',
};

/**
 * What the learning loop chose, as instructions: the whole post's length, emoji or none, and (for the
 * body, which holds the last line) the closing. A model is told what the offline composer does by construction.
 */
function armLines(arms: ContentArms | undefined, part: 'hook' | 'body'): string[] {
  if (!arms) return [];
  const { min, max } = LENGTH_BAND_CHARS[arms.length];
  const lines = [
    `The whole post (hook and body together) is ${min}–${max} characters (${arms.length}).`,
    arms.emoji ? 'Use exactly one fitting emoji.' : 'Use no emoji.',
  ];
  if (part === 'body') lines.push(CLOSING_INSTRUCTIONS[arms.closing]);
  return lines;
}

/** The persona's best-performing recent posts: what its audience rewards, to learn from, not to copy. */
function exampleLines(examples: string[] | undefined): string[] {
  if (!examples?.length) return [];
  return [
    'Your recent posts that your audience engaged with most (learn from their form, do not copy them):',
    ...examples.map((text, i) => `${i + 1}. ${text.replace(/\s+/g, ' ')}`),
  ];
}

export function buildHookMessages(input: WriteHookInput): ChatMessage[] {
  const user = [
    `Write ONE hook line for a Threads post about: ${input.topic}`,
    `Hook pattern "${input.hookPattern}": ${HOOK_PATTERN_DESCRIPTIONS[input.hookPattern]}.`,
    ...exampleLines(input.examples),
    'Reply with the single line only, on one line, plain text, no hashtags, no quotes around it.',
    ...armLines(input.arms, 'hook'),
    ...feedbackLine(input.feedback),
  ].join('\n');
  return [
    { role: 'system', content: systemPrompt(input.persona) },
    { role: 'user', content: user },
  ];
}

export function buildBodyMessages(input: WriteBodyInput): ChatMessage[] {
  const user = [
    `Write the body of a Threads post about: ${input.topic}`,
    `It continues this hook, which is already written (do not repeat it): ${input.hook}`,
    `The body must be at most ${input.maxChars} characters.`,
    'If the hook promises a list of N items, give exactly N; if it promises questions, every item is a question.',
    ...exampleLines(input.examples),
    'Reply with the body only, plain text, no hashtags, no quotes around it.',
    ...armLines(input.arms, 'body'),
    ...feedbackLine(input.feedback),
  ].join('\n');
  return [
    { role: 'system', content: systemPrompt(input.persona) },
    { role: 'user', content: user },
  ];
}
