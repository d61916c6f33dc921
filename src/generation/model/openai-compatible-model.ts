import type { ChatGateway, ChatRequest } from '../../platform/llm/index.ts';
import type { ContentModel, ModelOutput, WriteHookInput } from './content-model.ts';
import { buildBodyMessages, buildHookMessages } from './prompts.ts';

const HOOK_MAX_TOKENS = 80;
const BODY_MAX_TOKENS = 300;
const TEMPERATURE = 0.9;

/** Trim and strip quotes the model wrapped the whole text in. */
export function cleanCompletion(text: string, oneLine: boolean): string {
  let out = text.trim();
  if (oneLine) out = out.replace(/\s*\n+\s*/g, ' ');
  const wrapped = /^(["'“‘`])([^"“”]*)(["'”’`])$/.exec(out);
  if (wrapped && wrapped[2] !== undefined) out = wrapped[2].trim();
  return out;
}

/**
 * Writes hooks with the premium model and bodies with the cheap one (a persona may override
 * either), through the gateway that prices, caches and guards every call.
 */
export function createOpenAiCompatibleModel(options: {
  gateway: ChatGateway;
  hookModel: string;
  bodyModel: string;
}): ContentModel {
  const { gateway } = options;

  function requestFor(service: 'hook' | 'body', input: WriteHookInput): ChatRequest {
    const hook = service === 'hook';
    return {
      model: hook ? (input.persona.hook_model ?? options.hookModel) : (input.persona.body_model ?? options.bodyModel),
      messages: hook ? buildHookMessages(input) : buildBodyMessages({ hook: '', maxChars: 500, ...input }),
      params: { temperature: TEMPERATURE, seed: input.seed, max_tokens: hook ? HOOK_MAX_TOKENS : BODY_MAX_TOKENS },
    };
  }

  async function complete(request: ChatRequest, oneLine: boolean): Promise<ModelOutput> {
    const result = await gateway.complete(request);
    const text = cleanCompletion(result.text, oneLine);
    if (!text) throw new Error(`openai-compatible model "${result.model}" returned an empty completion`);
    return { ...result, text, provider: 'openai-compatible' };
  }

  return {
    provider: 'openai-compatible',
    writeHook: (input) => complete(requestFor('hook', input), true),
    writeBody: (input) => complete(requestFor('body', input), false),
    planCall: (service, input) => {
      const request = requestFor(service, input);
      return { model: request.model, maxUsd: gateway.estimateUsd(request) };
    },
  };
}
