export { createBudgets, type ReserveBudget } from './budgets.ts';
export { type ChatGateway, type ChatRequest, createChatGateway } from './chat-gateway.ts';
export type { ChatMessage, ModelUsage } from './chat-types.ts';
export { createProviderBreaker } from './circuit-breaker.ts';
export { attributeLlmCalls, insertLlmCalls, type NewLlmCall } from './llm-call.repository.ts';
export { createOpenAiClient, providerHost } from './openai-client.ts';
export { createPricing, loadPriceOverrides, type Pricing } from './pricing.ts';
