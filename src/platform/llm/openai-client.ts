import OpenAI from 'openai';

/** The official SDK pointed at any OpenAI-compatible server; local servers need no key, the SDK wants one. */
export function createOpenAiClient(options: {
  baseURL?: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
}) {
  return new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey || 'not-needed',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

/** The provider's host[:port], for the breaker's label and messages: never a path, credentials or a key. */
export function providerHost(baseURL: string | undefined): string {
  return baseURL ? new URL(baseURL).host : 'api.openai.com';
}
