import type { HookPattern } from '../../personas/index.ts';
import type { TopicKind } from '../writing/topic-shape.ts';

/**
 * The offline composer's frames. Slots: {topic} the topic as given, {reader} the topic turned to
 * the reader ("why your starter…"), {verb} an activity's bare verb phrase, {advice} an imperative
 * clause, {exp} what "I" did, {mistake} a gerund phrase, {t1}/{t2} two vocabulary terms, {n} a
 * small count. Every frame keeps a slot that only this persona fills, so no two niches share a
 * sentence, and the topic only sits where a phrase of its kind fits (after "about", "on", …).
 */

type Frames = readonly string[];

const ANY_KIND: readonly TopicKind[] = ['thing', 'activity', 'question', 'how_to'];

export interface HookFrame {
  text: string;
  kinds: readonly TopicKind[];
}

const hook = (text: string, kinds: readonly TopicKind[] = ANY_KIND): HookFrame => ({ text, kinds });
const NOUNISH: readonly TopicKind[] = ['thing', 'activity'];

export const HOOK_FRAMES: Record<Exclude<HookPattern, 'number_list'>, readonly HookFrame[]> = {
  question: [
    hook('Wondering {reader}?', ['question']),
    hook('Have you ever asked yourself {reader}?', ['question', 'how_to']),
    hook('What finally made {topic} click for you?', NOUNISH),
    hook('How do you handle {reader} when time is short?', NOUNISH),
    hook('What is your first move with {reader}?', NOUNISH),
    hook('What is the hardest part of {topic} for you right now?', NOUNISH),
    hook('What would you tell a beginner about {topic}?'),
    hook('What changed your mind about {topic}?'),
    hook('Which part of {topic} do you still get wrong?', NOUNISH),
    hook('Do you {advice}?'),
  ],
  contrarian: [
    hook('Stop {mistake}.'),
    hook('Unpopular opinion: most advice about {topic} makes it harder than it is.', NOUNISH),
    hook('Hot take: you can skip half of what you read about {topic}.'),
    hook('Hot take: {topic} gets easier the day you stop {mistake}.', NOUNISH),
    hook('Unpopular opinion: {t1} matters more than anything else people argue about.'),
  ],
  story: [
    hook('A while ago I {exp}.'),
    hook('The first time I tried {topic}, I kept {mistake}.', NOUNISH),
    hook('I got {topic} wrong for years.', NOUNISH),
    hook('I used to dread {topic}.', NOUNISH),
    hook('I finally worked out {topic}.', ['question', 'how_to']),
    hook('I used to overthink {topic}. Then I {exp}.', NOUNISH),
    hook('I spent months wondering {topic}. Then I {exp}.', ['question']),
    hook('Last season I {exp}, and it changed how I think about {topic}.'),
  ],
  // The learning loop reads "How to" as this form's mark, so every frame starts with it.
  how_to: [
    hook('How to {verb} without {mistake}', ['activity']),
    hook('How to figure out {reader}', ['question']),
    hook('How to stop {mistake}'),
    hook('How to get unstuck on {topic}', NOUNISH),
    hook('{Topic}, step by step', ['how_to']),
  ],
  mistake: [
    hook('The mistake I made for years: {mistake}.'),
    hook('A mistake I see in almost every question about {topic}: {mistake}.'),
    hook('My most expensive mistake with {topic}: {mistake}.', NOUNISH),
  ],
  statistic: [
    hook('I kept notes on {t1} for {n} weeks, and one change mattered more than the rest.'),
    hook('After {n} weeks of notes on {topic}, one thing stood out.', NOUNISH),
    hook('I tried {n} different approaches to {t1} before one stuck.'),
    hook('I spent {n} months on {topic} before one habit stuck.', NOUNISH),
  ],
  bold_claim: [
    hook('{Advice}: that one habit does most of the work.'),
    hook('Better {t1} starts before you think about {t2}.'),
    hook('{T1} matters more for {topic} than most people think.', NOUNISH),
    hook('You can get good at {topic} with less gear than you think.', ['activity']),
  ],
};

/** A list heading promises items of one form: the body keeps that promise. */
export type ListItemForm = 'advice' | 'mistake' | 'question' | 'lesson' | 'term';

export const LIST_HEADINGS: readonly { form: ListItemForm; text: string; kinds: readonly TopicKind[] }[] = [
  { form: 'advice', text: '{n} habits that made {topic} easier for me:', kinds: NOUNISH },
  { form: 'advice', text: '{n} habits that helped me figure out {topic}:', kinds: ['question', 'how_to'] },
  { form: 'mistake', text: '{n} mistakes I made with {topic}:', kinds: NOUNISH },
  { form: 'mistake', text: '{n} mistakes I made before I figured out {topic}:', kinds: ['question', 'how_to'] },
  { form: 'question', text: '{n} questions to ask yourself about {topic}:', kinds: ANY_KIND },
  { form: 'lesson', text: '{n} things I learned the slow way about {topic}:', kinds: ANY_KIND },
];

/** Lists short enough for the short band: the items are the persona's own terms. */
export const SHORT_LIST_HEADINGS: typeof LIST_HEADINGS = [
  { form: 'term', text: '{n} checks before {topic}:', kinds: ['activity'] },
  { form: 'term', text: '{n} checks for {topic}:', kinds: ['thing'] },
  { form: 'term', text: '{n} checks that helped me with {topic}:', kinds: ['question', 'how_to'] },
];

export const ADVICE_FRAMES: Frames = [
  '{Advice}.',
  'My rule now: {advice}.',
  'If you change one thing, {advice}.',
  'One habit that pays off: {advice}.',
  'Next time, {advice}.',
  'What I tell anyone starting out: {advice}.',
];

export const EXPERIENCE_FRAMES: Frames = [
  'I {exp}.',
  'Last month I {exp}.',
  'Early on I {exp}.',
  'The change that stuck: I {exp}.',
  'Not long ago I {exp}.',
];

export const MISTAKE_FRAMES: Frames = [
  'The mistake I made for too long: {mistake}.',
  'Watch out for {mistake}.',
  'A habit worth dropping: {mistake}.',
  'Most of my worst results came from {mistake}.',
  'If something feels off, check whether you are {mistake}.',
];

export const TERM_FRAMES: Frames = [
  'Every week I look at two things: {t1} and {t2}.',
  '{T1} first, {t2} second; that order saved me a lot of rework.',
  'Most of my notes end up being about {t1} and {t2}.',
];

export const TOPIC_LINES: Record<TopicKind, Frames> = {
  thing: ['This is what I wish someone had told me about {topic}.', 'Here is where I have landed on {topic}.'],
  activity: ['This is what I wish someone had told me about {topic}.', 'Here is where I have landed on {topic}.'],
  question: ['It took me a while to work out {topic}.', 'I get asked {reader} more than anything else.'],
  how_to: ['People ask me {topic} more than anything else.', 'It took me a while to work out {topic}.'],
};

const ASK_ANYONE: Frames = [
  'Do you {advice}?',
  'Have you ever caught yourself {mistake}?',
  'Which matters more to you, {t1} or {t2}?',
  'What did {t1} teach you the hard way?',
  'What do you check first, {t1} or {t2}?',
];

export const QUESTION_CLOSINGS: Record<TopicKind, Frames> = {
  thing: [...ASK_ANYONE, 'What would you add about {topic}?', 'How do you handle {reader}?'],
  activity: [...ASK_ANYONE, 'What would you add about {topic}?', 'How do you handle {reader}?'],
  question: ASK_ANYONE,
  how_to: ASK_ANYONE,
};

export const LIST_QUESTION_CLOSINGS: Frames = [
  'Which of these would you try first with {t1}?',
  'What would you add to this list about {t1}?',
  'Which one is hardest for you with {t1}?',
];

const TELL_ANYONE: Frames = [
  'Try this: {advice}, then tell me what changed.',
  'Send this to someone who keeps {mistake}.',
  'Tell me about the last time you caught yourself {mistake}.',
  'Follow for more notes on {niche}.',
  'Tell me what you check first: {t1} or {t2}.',
  'Reply with how you handle {t1} and {t2}.',
];

export const CTA_CLOSINGS: Record<TopicKind, Frames> = {
  thing: [...TELL_ANYONE, 'Save this for the next time you work on {topic}.'],
  activity: [...TELL_ANYONE, 'Save this for the next time you are {topic}.'],
  question: TELL_ANYONE,
  how_to: TELL_ANYONE,
};

export const EMOJI: readonly string[] = ['👇', '💡', '✅', '📌', '🙌'];
