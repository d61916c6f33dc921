import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Embedder } from '../embeddings/embedder.ts';
import type { VectorStore } from '../embeddings/vector-store.ts';
import type { ReserveBudget } from '../llm/budgets.ts';
import type { ContentModel } from '../llm/content-model.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { NewTaskEvent } from '../tasks/task-event.repository.ts';

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
}
