/** What a chat-completions call sends and what it used, as every provider reports it. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
}
