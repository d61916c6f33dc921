import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Embedder } from '../../platform/embeddings/index.ts';
import type { VectorStore } from '../../posts/index.ts';
import type { ReserveBudget } from '../../platform/llm/index.ts';
import type { ContentModel } from '../model/content-model.ts';
import type { Metrics } from '../../platform/observability/index.ts';
import type { NewTaskEvent } from '../tasks/task-event.repository.ts';
import type { ContentPolicy } from './content-policy.ts';

export type GenerationSettings = Config['generation'];

export interface GraphDeps {
  db: Database;
  model: ContentModel;
  metrics: Metrics;
  settings: GenerationSettings;
  embedder: Embedder;
  vectors: VectorStore;
  recordEvent(event: NewTaskEvent): Promise<unknown>;
  reserveBudget: ReserveBudget;
  /** Score at which a persona in `auto` approval mode without its own threshold has a draft approved. */
  autoApproveMinScore: number;
  now: () => Date;
  /** What to write (pattern, shape) and how to rank candidates; the uniform policy without learning. */
  policy: ContentPolicy;
  /** Candidates written per post when the policy can rank them (a trained predictor). */
  candidates: number;
}
