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
  planEngagement,
  shareAt,
  countAt,
  followersAt,
  type EngagementPlan,
} from './engagement-model.ts';
export { extractContentFeatures, type ContentFeatures, type SimProfile } from './content-features.ts';
export { FAULT_PRESETS, type FaultSpec, type FaultPreset } from './fault-injection.ts';
