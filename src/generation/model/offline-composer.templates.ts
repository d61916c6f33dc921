import type { HookPattern } from '../../personas/index.ts';

/** The offline composer's wording: templates filled with the persona's topic, niche and vocabulary. */

export type Style = 'playful' | 'direct' | 'warm' | 'analytical';

export const HOOKS: Record<HookPattern, readonly string[]> = {
  question: [
    'What would change if you treated {topic} as a {word} problem?',
    'Why does {topic} feel so hard for most people in {niche}?',
    'Is {topic} actually worth the effort?',
    "What's the one {word} habit that changed how you handle {topic}?",
    'Be honest: how much time do you spend on {topic} each week?',
    'What if most of what you learned about {topic} was backwards?',
    'Who else thinks {topic} is misunderstood in {niche}?',
    'Ever wonder why {topic} works for some people and not others?',
    'Which matters more in {niche}: {topic} or {word}?',
    'When did you last rethink your approach to {topic}?',
  ],
  number_list: [
    '{n} lessons about {topic} I wish I had learned sooner:',
    '{n} ways to get better at {topic} this week:',
    '{n} signs your {topic} needs a reset:',
    '{n} {word} habits that make {topic} easier:',
    '{n} questions to ask before you start on {topic}:',
    '{n} rules for {topic} that actually hold up:',
    '{n} small changes that improved my {topic}:',
    '{n} truths about {topic} nobody tells beginners:',
    '{n} ideas from {niche} that changed how I see {topic}:',
  ],
  statistic: [
    '{pct}% of people in {niche} underestimate {topic}.',
    '{pct}% of the results in {topic} come from a few boring habits.',
    'I tracked my {topic} for {days} days. The numbers surprised me.',
    '{x}x: that is the difference {word} made to my {topic}.',
    '{pct}% of {topic} advice skips the {word} part entirely.',
    'Roughly 1 in {k} people in {niche} ever measure their {topic}.',
    'What messy {topic} costs a small team: {hours} hours a week.',
    'After {count} conversations about {topic}, one number stood out: {pct}%.',
    'Cutting my {topic} routine by {pct}% made it work better.',
  ],
  contrarian: [
    'Unpopular opinion: {topic} is overrated.',
    'Unpopular opinion: most {topic} advice makes the problem worse.',
    'Stop obsessing over {topic}.',
    "Stop copying other people's {topic} playbook.",
    'Hot take: {word} matters more than {topic}.',
    "Unpopular opinion: you don't need more {topic}. You need better {word}.",
    'Stop treating {topic} like a side project.',
    'Hot take: {topic} rarely fails for the reason you think.',
    'Everyone in {niche} says {topic} is essential. I disagree.',
    'Stop waiting for the perfect moment to fix your {topic}.',
  ],
  story: [
    'I ignored {topic} for years. It cost me more than I expected.',
    'Last year I rebuilt my whole approach to {topic}.',
    'I once spent a month getting {topic} completely wrong.',
    'I thought I understood {topic}. Then I watched a pro in {niche} work.',
    'My first attempt at {topic} failed badly, and I learned why.',
    'I used to dread {topic}. Then one change made it easy.',
    'Three years ago I made {topic} my main focus in {niche}.',
    'I tried every {word} trick for {topic}, and most of them flopped.',
    'When a client asked me about {topic}, I realized I had no good answer.',
  ],
  how_to: [
    'How to get started with {topic} without overthinking it',
    'How to make {topic} part of your weekly routine',
    'How to fix your {topic} in one afternoon',
    'How to use {word} to make {topic} easier',
    'How to explain {topic} to someone new to {niche}',
    'How to tell if your {topic} is actually working',
    'How to approach {topic} when time is short',
    'How to build {topic} habits that stick',
    'How to stop second-guessing your {topic}',
  ],
  mistake: [
    'The mistake most people make with {topic}? Doing too much at once.',
    'The mistake I see most in {niche}: treating {topic} as an afterthought.',
    'The biggest {topic} mistake is not the one you think.',
    'The mistake that quietly ruins {topic}: skipping the {word}.',
    'The mistake I made with {topic} for years.',
    'The most expensive mistake in {topic} is waiting.',
    'The mistake beginners make with {topic} is copying experts.',
    'Most {topic} problems start with one mistake.',
    'The mistake nobody warns you about in {topic}.',
  ],
  bold_claim: [
    '{topic} is a skill, not a talent.',
    'Consistency beats talent in {topic}.',
    '{topic} is simpler than the experts make it sound.',
    'Better {topic} starts with {word}.',
    'Most {topic} problems are really {word} problems.',
    '{topic} will decide who wins in {niche} next year.',
    'Better {topic} is the fastest win in {niche}.',
    'You can learn {topic} in a month.',
    '{word} is the most underrated part of {topic}.',
  ],
};

export const BODY_SENTENCES: readonly string[] = [
  'Most people overcomplicate {topic}.',
  'The basics of {topic} still do most of the work.',
  '{word} is where {topic} actually gets decided.',
  'Nobody talks about how much {word} shapes {topic}.',
  'In {niche}, small habits compound faster than big plans.',
  'The people who get {topic} right keep it boring and consistent.',
  'Every time I skipped the {word} step, {topic} got harder.',
  'Start with one clear goal for {topic} and ignore the rest for a week.',
  'Write down what {topic} looks like when it works.',
  'Measure one signal, not ten.',
  'Pick the simplest version of {topic} you can repeat daily.',
  'Treat {word} as a habit, not a project.',
  'Progress in {topic} is usually invisible for the first few weeks.',
  'Effective {topic} is mostly about removing friction.',
  'If it feels complicated, you are probably doing too much.',
  'Ask someone in {niche} to review your approach to {topic}.',
  'Keep a short log of what you tried and what changed.',
  'The fastest feedback loop wins.',
  'Tools help, but {word} matters more.',
  'Review your {topic} every Friday for 10 minutes.',
  "Copying a playbook works until it doesn't; understanding {word} lasts.",
  "Cut the steps that don't move {topic} forward.",
  'Clarity beats volume in {niche}.',
  'The first 20% of effort on {word} usually gives most of the result.',
];

export const STYLE_SENTENCES: Record<Style, readonly string[]> = {
  playful: [
    'Spoiler: {topic} is not magic, it is reps.',
    'Yes, even your {word} counts.',
    'Your future self will thank you (and probably brag about it).',
    'No cape required.',
  ],
  direct: [
    'No shortcuts.',
    'Do the work, then judge the results.',
    "Excuses don't scale. Systems do.",
    'Fix the {word} first.',
  ],
  warm: [
    'You are not behind; everyone starts somewhere.',
    'Be patient with yourself while {topic} clicks.',
    'Small steps still count.',
    'It is okay to go slower than the people you follow.',
  ],
  analytical: [
    'Track one metric for {topic} and check it weekly.',
    'The data usually points to {word}, not effort.',
    'Compare before and after, not yourself and others.',
    'Look for the pattern, not the outlier.',
  ],
};

export const LIST_ITEMS: readonly string[] = [
  'Start smaller than you think.',
  'Make {word} a weekly habit.',
  'Measure one signal, not ten.',
  'Write the plan down before you begin.',
  'Ask for feedback early.',
  "Cut what doesn't move {topic} forward.",
  'Block time for {topic} on your calendar.',
  'Review what worked every Friday.',
  'Learn from people in {niche} one step ahead of you.',
  'Keep your tools simple.',
  'Stop waiting for perfect conditions.',
  'Share what you learn in public.',
  'Treat {word} as the foundation.',
];

export const CTAS: readonly string[] = [
  "What's your take on {topic}?",
  'What would you add?',
  'Have you tried this? Tell me how it went.',
  'Save this for your next {topic} session.',
  'Agree or disagree?',
  'Drop your best {topic} tip below.',
  'What has worked for you?',
  'Follow for more on {niche}.',
  'Which part do you struggle with most?',
];

export const LIST_CTAS: readonly string[] = [
  'Which one are you trying first?',
  'What would you add to this list?',
  'Which one do you skip?',
];

export const FALLBACK_WORDS = ['consistency', 'focus', 'clarity', 'feedback', 'process', 'practice'];

export const STYLE_KEYWORDS: Record<Style, RegExp> = {
  playful: /\b(playful|witty|funny|humou?r|cheeky|casual|light|fun|irreverent)/i,
  direct: /\b(direct|blunt|bold|punchy|no-nonsense|straight|confident|assertive)/i,
  warm: /\b(warm|friendly|kind|supportive|encouraging|empathetic|gentle|caring)/i,
  analytical: /\b(analytical|data|precise|calm|thoughtful|expert|professional|measured|nerdy)/i,
};
