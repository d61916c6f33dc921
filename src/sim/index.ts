export {
  buildThreadsSimulator,
  startThreadsSimulator,
  type RunningSimulator,
  type ThreadsSimulatorOptions,
} from './threads-simulator.ts';
export { createManualClock, createOffsetClock, type SimClock } from './sim-clock.ts';
export {
  ENGAGEMENT_MODEL,
  engagementRate,
  shareAt,
  countAt,
  followersAt,
  type EngagementPlan,
} from './engagement-model.ts';
export { FAULT_PRESETS, type FaultSpec, type FaultPreset } from './fault-injection.ts';
// The audience's judgement, for benchmarks and tests that compute regret without HTTP. The product never
// imports these (test/unit/sim-boundary.test.ts): it learns only from the insights it reads back.
export { judgePost, accountSeedOf, type JudgeInput, type LiftParts } from './judge-post.ts';
export { audienceTaste, tasteAt, type AudienceTaste, type TasteSnapshot } from './audience-taste.ts';
export {
  classifyOpening,
  readPost,
  OPENING_FORMS,
  type OpeningForm,
  type PostReading,
  type SimProfile,
} from './post-reading.ts';
