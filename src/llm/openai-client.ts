import OpenAI from 'openai';

/** The official SDK pointed at any OpenAI-compatible server; local servers need no key, the SDK wants one. */
export function createOpenAiClient(options: { baseURL?: string; apiKey?: string; timeoutMs: number; maxRetries: number }) {
  return new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey || 'not-needed',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

/** A bounded metric label for the provider: its host, never a path or a key. */
export function providerLabel(baseURL: string | undefined): string {
  return `llm:${baseURL ? new URL(baseURL).host : 'api.openai.com'}`;
}
