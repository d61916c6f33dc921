import type { ContentModel, ModelOutput } from '../../src/generation/model/content-model.ts';

const output = (text: string): ModelOutput => ({
  text,
  usage: { promptTokens: 10, completionTokens: 5 },
  model: 'scripted-model',
  provider: 'offline',
  costUsd: 0,
  cacheHit: false,
  priced: true,
});

/** A ContentModel whose hook and body come from the test, so the workflow's branches can be driven. */
export function scriptedModel(script: {
  hook: (call: number) => string;
  body: (call: number) => string;
}): ContentModel & { calls: { hook: number; body: number } } {
  const calls = { hook: 0, body: 0 };
  return {
    provider: 'offline',
    calls,
    async writeHook() {
      return output(script.hook(calls.hook++));
    },
    async writeBody() {
      return output(script.body(calls.body++));
    },
    planCall: () => ({ model: 'scripted-model', maxUsd: 0 }),
  };
}
