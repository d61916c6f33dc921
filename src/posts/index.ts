export {
  findVariantsDone,
  insertPost,
  listPostIdsOfTask,
  POST_STATUSES,
  REJECTION_REASONS,
  type RejectionReason,
} from './post.repository.ts';
export { createPostsService, type PostsService } from './posts.service.ts';
export { rejectUnpublished } from './publishing/approval.repository.ts';
export { isAutoApproved } from './publishing/auto-approval.ts';
export { createPublishing, type Publishing } from './publishing/publishing.ts';
export { createVectorStore, detectVectorMode, type Neighbour, type VectorStore } from './vector-store.ts';
export { type ApprovalService, createApprovalService } from './publishing/approval.service.ts';
