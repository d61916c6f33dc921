import { createParser } from 'eventsource-parser';

export interface StreamedEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a Server-Sent Events stream with fetch(), because EventSource cannot send the Authorization
 * header and the token must never go into a URL.
 */
export async function streamEvents(
  path: string,
  token: string,
  onEvent: (event: StreamedEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(path, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
  const parser = createParser({
    onEvent: (message) => {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(message.data) as Record<string, unknown>;
      } catch {
        data = { text: message.data };
      }
      onEvent({ id: message.id, event: message.event ?? 'message', data });
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}
