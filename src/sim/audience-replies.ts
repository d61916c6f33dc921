import { ENGAGEMENT_MODEL, ageForShare } from './engagement-model.ts';
import { topicFitOf } from './post-reading.ts';
import { audienceUserId, nextId } from './sim-ids.ts';
import { createRandom, deriveSeed, pick, type Random } from './sim-random.ts';
import type { SimMedia, SimState } from './sim-state.ts';

const FIRST = [
  'maya',
  'leo',
  'sam',
  'priya',
  'jon',
  'ana',
  'kofi',
  'lena',
  'omar',
  'zoe',
  'ravi',
  'iris',
  'tomas',
  'noor',
];
const LAST = ['builds', 'writes', 'ships', 'codes', 'sells', 'makes', 'grows', 'runs'];

// A mix of intents, so a conversation engine has questions, praise, disagreement and leads to sort.
const REPLIES = [
  'This is exactly what I needed today. How long did {topic} take before you saw results?',
  'Saving this. Do you have a template for {topic}?',
  'Hard disagree on the second point: {topic} worked the other way for us.',
  'What would you do differently if you started {topic} again?',
  'We tried this last quarter and it worked. Thanks for sharing.',
  'How can I work with you on {topic}? Happy to pay for an hour.',
  'Is there a newsletter or course where you go deeper on {topic}?',
  'Love this. Following for more on {topic}.',
  'Counterpoint: most people skip {topic} because it takes too long. Worth it?',
  'Which tool do you use for {topic}?',
];
const ANSWERS = [
  'Same question here!',
  '+1, following this thread.',
  'Agree, {topic} is underrated.',
  'We saw the same thing with {topic}.',
];

function topicOf(state: SimState, post: SimMedia): string {
  const profile = state.users[post.ownerId]?.profile;
  const fromProfile = profile ? topicFitOf(post.text, profile).topic : null;
  return fromProfile ?? post.topicTag ?? 'this';
}

function audienceReply(
  state: SimState,
  seed: number,
  parent: SimMedia,
  root: SimMedia,
  at: number,
  rng: Random,
  texts: readonly string[],
): SimMedia {
  const username = `${pick(rng, FIRST)}_${pick(rng, LAST)}${Math.floor(rng() * 90) + 10}`;
  const [minH, maxH] = ENGAGEMENT_MODEL.audience.answerDelayHours;
  const answers = parent.id === root.id && rng() < ENGAGEMENT_MODEL.audience.answerProbability;
  const reply: SimMedia = {
    id: nextId(state, seed, 'media'),
    ownerId: audienceUserId(username),
    username,
    text: pick(rng, texts).replace('{topic}', topicOf(state, root)),
    createdAt: at,
    replyToId: parent.id,
    rootId: root.id,
    replyControl: 'everyone',
    isQuotePost: false,
    topicTag: null,
    linkUrl: null,
    hideStatus: 'NOT_HUSHED',
    origin: 'audience',
    plan: null,
    audienceReplies: 0,
    answerDueAt: answers ? at + (minH + rng() * (maxH - minH)) * 3_600_000 : null,
  };
  state.media[reply.id] = reply;
  return reply;
}

/**
 * Brings the audience up to `now`: each post gets the replies its plan has earned by now (timestamped
 * when they were due, however late they are created), and due answers to them appear. Returns whether
 * anything changed. Deterministic for a seed and a sequence of request times.
 */
export function materializeAudience(state: SimState, seed: number, now: number): boolean {
  let changed = false;
  const media = Object.values(state.media);
  for (const post of media) {
    const plan = post.plan;
    if (!plan || post.audienceReplies >= plan.replies) continue;
    while (post.audienceReplies < plan.replies) {
      const k = post.audienceReplies;
      const at = post.createdAt + ageForShare((k + 1) / plan.replies);
      if (at > now) break;
      const rng = createRandom(deriveSeed(seed, 'reply', post.id, String(k)));
      audienceReply(state, seed, post, post, at, rng, REPLIES);
      post.audienceReplies++;
      changed = true;
    }
  }
  for (const reply of media) {
    if (reply.answerDueAt === null || reply.answerDueAt > now) continue;
    const root = reply.rootId ? state.media[reply.rootId] : undefined;
    const due = reply.answerDueAt;
    reply.answerDueAt = null;
    changed = true;
    if (root) audienceReply(state, seed, reply, root, due, createRandom(deriveSeed(seed, 'answer', reply.id)), ANSWERS);
  }
  return changed;
}
