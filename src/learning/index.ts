export { runAutopilot, planDay, type AutopilotDeps } from './autopilot.ts';
export { fitBandit, thompson, choiceProbabilities, normal, type Observation, type BanditModel } from './bandit.ts';
export { liftOf, type Lift } from './lift.ts';
export { createLearningService, type LearningService } from './learning.service.ts';
export {
  armsOf,
  groupOf,
  HOUR_ARMS,
  HOUR_BLOCK,
  planDraft,
  planHour,
  posteriorsOf,
  type PostGroup,
  SATURATION,
  saturationPenalty,
} from './plan.ts';
export { createLearningPolicy, isLearningOn, POLICY_VERSION } from './policy.ts';
export {
  evaluatePredictor,
  fitPredictor,
  predictReward,
  type PredictorModel,
  type TrainingRow,
} from './predictor/predictor.ts';
export { spearman } from './predictor/ridge.ts';
export { trainPredictor } from './predictor/train-predictor.ts';
export { baselineOf, computeRewards, rewardOf } from './reward.ts';
