import { z } from 'zod';
import { LEARNED_CHOICES } from '../../../generation/index.ts';
import type { LearningService } from '../../../learning/index.ts';
import type { HttpServer } from '../http-server.ts';
import { errorSchema, idParams, personaSchema } from '../schemas.ts';

const choicesSchema = z.array(
  z.object({
    choice: z.enum(LEARNED_CHOICES),
    arms: z.array(
      z.object({
        arm: z.string(),
        pulls: z.number().int(),
        mean_reward: z.number(),
        uncertainty: z.number(),
        probability: z.number(),
      }),
    ),
  }),
);

const liftSchema = z
  .object({
    ratio: z.number().nullable(),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    learned_posts: z.number().int(),
    control_posts: z.number().int(),
    learned_mean_rate: z.number().nullable(),
    control_mean_rate: z.number().nullable(),
  })
  .describe(
    'Learned posts vs the control group: mean of (rate over the persona baseline), ratio with its 95% interval; null until each group has 2 rewarded posts',
  );

const predictorSchema = z.object({
  trained_at: z.string().nullable(),
  train_size: z.number().int(),
  holdout_size: z.number().int(),
  spearman: z.number().nullable(),
  baseline_spearman: z.number().nullable(),
});

const rewardsSchema = z.object({ rewarded: z.number().int(), pending: z.number().int() });
const learningMode = z.enum(['on', 'off']);

export function registerLearningRoutes(app: HttpServer, learning: LearningService) {
  const tags = ['learning'];
  app.get('/v1/personas/:id/learning', {
    schema: {
      tags,
      summary: 'What the learning loop has learned for a persona',
      description:
        'Per choice the arms with their rewarded posts (pulls), posterior mean reward (ln of engagement rate over the ' +
        "persona's recent baseline) ± its standard deviation, and the chance Thompson sampling picks each now; the " +
        "lift over the control group; the predictor's hold-out quality. Posts younger than the reward age are pending.",
      params: idParams,
      response: {
        200: z.object({
          persona_id: z.uuid(),
          slug: z.string(),
          learning: learningMode,
          autopilot: personaSchema.shape.autopilot,
          policy_version: z.string(),
          rewards: rewardsSchema,
          choices: choicesSchema,
          lift: liftSchema,
          predictor: predictorSchema,
        }),
        404: errorSchema,
      },
    },
    handler: (request) => learning.personaReport(request.params.id),
  });
  app.get('/v1/learning', {
    schema: {
      tags,
      summary: 'The learning loop over every persona',
      description:
        'Per choice, every persona pooled: rewarded posts, raw mean reward ± standard error, and the share of each arm ' +
        'among the latest 200 learned choices; the pooled lift over the control group; the predictor; each persona’s lift.',
      response: {
        200: z.object({
          enabled: z.boolean(),
          control_share: z.number(),
          reward_age_hours: z.number(),
          policy_version: z.string(),
          rewards: rewardsSchema,
          choices: choicesSchema,
          lift: liftSchema,
          predictor: predictorSchema,
          personas: z.array(
            z.object({
              persona_id: z.uuid(),
              slug: z.string(),
              learning: learningMode,
              autopilot: personaSchema.shape.autopilot,
              lift: liftSchema,
            }),
          ),
        }),
      },
    },
    handler: () => learning.overallReport(),
  });
}
