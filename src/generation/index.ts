export type { ContentModel } from './model/content-model.ts';
export { createOfflineComposer } from './model/offline-composer.ts';
export { createOpenAiCompatibleModel } from './model/openai-compatible-model.ts';
export { createDraftEditor, type DraftEditor } from './edit-draft.ts';
export { detectHookForm, scorePost } from './quality-score.ts';
export { createTaskEventHub, followTaskEvents, type TaskEventHub } from './tasks/follow-task-events.ts';
export { createTaskRunner } from './tasks/run-task.ts';
export type { TaskEvent } from './tasks/task-event.repository.ts';
export { createTaskEvents, type TaskEvents } from './tasks/task-events.ts';
export { createTasksService, type TasksService } from './tasks/tasks.service.ts';
export { createPersonaGraph } from './workflow/persona-graph.ts';
export {
  CLOSINGS,
  type Closing,
  type ContentArms,
  LENGTH_BAND_CHARS,
  LENGTH_BANDS,
  type LengthBand,
} from './model/content-arms.ts';
export {
  type ContentPolicy,
  createUniformPolicy,
  type Decision,
  DECISION_MODES,
  type DecisionMode,
  type DraftPlan,
  LEARNED_CHOICES,
  type LearnedChoice,
  type PlanInput,
  uniformPattern,
} from './workflow/content-policy.ts';
