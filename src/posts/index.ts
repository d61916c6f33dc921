export {
  findVariantsDone,
  insertPost,
  listPostIdsOfTask,
  listPostOutcomesOfTask,
  listRecentTexts,
  listRejectionDetailsOfTask,
} from './post.repository.ts';
export {
  type DraftRevision,
  listPostEdits,
  type PostEdit,
  recordPostEdit,
  reviseDraft,
} from './post-edit.repository.ts';
export {
  type NewPost,
  POST_STATUSES,
  POST_TRANSITIONS,
  type Post,
  type PostStatus,
  postSchema,
  REJECTION_REASONS,
  type RejectionReason,
  statusConflict,
} from './post-lifecycle.ts';
export { countChars, MAX_POST_CHARS, postTextSchema } from './post-text.ts';
export { createPostsService, type PostsService } from './posts.service.ts';
export { rejectUnpublished } from './publishing/approval.repository.ts';
export { isAutoApproved } from './publishing/auto-approval.ts';
export { createPublishing, type Publishing } from './publishing/publishing.ts';
export { createVectorStore, detectVectorMode, type Neighbour, type VectorStore } from './vector-store.ts';
export { type ApprovalService, createApprovalService } from './publishing/approval.service.ts';
export { createThreadsBreakers, type ThreadsBreakers } from './publishing/threads-breakers.ts';
