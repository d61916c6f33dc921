import type { EngagementPlan } from './engagement-model.ts';
import type { SimProfile } from './post-reading.ts';

export type SimContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'EXPIRED';
export type SimHideStatus = 'NOT_HUSHED' | 'UNHUSHED' | 'HIDDEN';

export interface SimUser {
  id: string;
  username: string;
  name: string;
  biography: string;
  createdAt: number;
  /** Followers before the first post; churn applies to them too. */
  initialFollowers: number;
  profile: SimProfile | null;
}

export interface SimToken {
  userId: string;
  scopes: string[];
  kind: 'short' | 'long';
  issuedAt: number;
  expiresAt: number;
}

export interface SimAuthCode {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface SimContainer {
  id: string;
  userId: string;
  createdAt: number;
  readyAt: number;
  text: string;
  replyToId: string | null;
  replyControl: string;
  quotePostId: string | null;
  linkAttachment: string | null;
  topicTag: string | null;
  mediaId: string | null;
}

export interface SimMedia {
  id: string;
  ownerId: string;
  username: string;
  text: string;
  createdAt: number;
  replyToId: string | null;
  rootId: string | null;
  replyControl: string;
  isQuotePost: boolean;
  topicTag: string | null;
  linkUrl: string | null;
  hideStatus: SimHideStatus;
  /** `api`: published through the Graph API; `audience`: written by the simulated audience. */
  origin: 'api' | 'audience';
  /** What a top-level API post will earn; null for replies. */
  plan: EngagementPlan | null;
  /** Audience replies created so far (they appear as their time comes). */
  audienceReplies: number;
  /** An audience reply may get one answer from another audience member at this time. */
  answerDueAt: number | null;
}

export interface SimState {
  version: 1;
  nextSeq: number;
  /** The latest time the simulator has seen, so a restart never moves its clock backwards. */
  lastNow: number;
  users: Record<string, SimUser>;
  tokens: Record<string, SimToken>;
  codes: Record<string, SimAuthCode>;
  containers: Record<string, SimContainer>;
  media: Record<string, SimMedia>;
}

export function createEmptyState(now: number): SimState {
  return { version: 1, nextSeq: 1, lastNow: now, users: {}, tokens: {}, codes: {}, containers: {}, media: {} };
}
