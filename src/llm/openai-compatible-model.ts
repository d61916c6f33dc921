import OpenAI from 'openai';
import type { ContentModel, ModelOutput } from './content-model.ts';
import { buildBodyMessages, buildHookMessages, type ChatMessage } from './prompts.ts';

export interface OpenAiCompatibleModelOptions {
  baseURL?: string;
  /** Local servers (Ollama, vLLM, llama.cpp…) need none; a placeholder is sent then. */
  apiKey?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** Inject a ready client (tests); otherwise one is built from the options above. */
  client?: OpenAI;
}

const HOOK_MAX_TOKENS = 80;
const BODY_MAX_TOKENS = 300;

/** Trim and strip quotes the model wrapped the whole text in. */
export function cleanCompletion(text: string, oneLine: boolean): string {
  let out = text.trim();
  if (oneLine) out = out.replace(/\s*\n+\s*/g, ' ');
  const wrapped = /^(["'“‘`])([^"“”]*)(["'”’`])$/.exec(out);
  if (wrapped && wrapped[2] !== undefined) out = wrapped[2].trim();
  return out;
}

export function createOpenAiCompatibleModel(options: OpenAiCompatibleModelOptions): ContentModel {
  const client =
    options.client ??
    new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey || 'not-needed',
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });

  async function complete(
    messages: ChatMessage[],
    seed: number,
    maxTokens: number,
    oneLine: boolean,
  ): Promise<ModelOutput> {
    const response = await client.chat.completions.create(
      { model: options.model, messages, temperature: 0.9, seed, max_tokens: maxTokens },
      { timeout: options.timeoutMs, maxRetries: options.maxRetries },
    );
    const raw = response.choices[0]?.message?.content ?? '';
    const text = cleanCompletion(raw, oneLine);
    if (!text) {
      throw new Error(
        `openai-compatible model "${response.model || options.model}" returned an empty completion` +
          ` (finish_reason: ${response.choices[0]?.finish_reason ?? 'none'})`,
      );
    }
    return {
      text,
      usage: {
        promptTokens: response.usage?.prompt_tokens ?? 0,
        completionTokens: response.usage?.completion_tokens ?? 0,
      },
      model: response.model || options.model,
      provider: 'openai-compatible',
    };
  }

  return {
    provider: 'openai-compatible',
    writeHook: (input) => complete(buildHookMessages(input), input.seed, HOOK_MAX_TOKENS, true),
    writeBody: (input) => complete(buildBodyMessages(input), input.seed, BODY_MAX_TOKENS, false),
  };
}
