import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (simulates a slow server / timeouts). */
  delayMs?: number;
}

export type FakeResponder = (body: any) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAiServer {
  /** Base URL ending with /v1, ready for `new OpenAI({ baseURL })`. */
  url: string;
  /** Parsed JSON bodies of every POST /v1/chat/completions, in arrival order. */
  requests: any[];
  /** Parsed bodies of every POST /v1/embeddings. */
  embeddingRequests: any[];
  /** How POST /v1/embeddings turns an input into a vector (default: a 26-letter histogram). */
  embedWith(fn: (input: string) => number[]): void;
  /** Script replies: a function of the request body, or a queue of canned replies (used in order, then the default). */
  respondWith(fn: FakeResponder | FakeReply[]): void;
  close(): Promise<void>;
}

/** A well-formed chat.completion reply with the given text and usage. */
export function chatCompletion(
  content: string | null,
  opts: { model?: string; promptTokens?: number; completionTokens?: number; usage?: boolean } = {},
): FakeReply {
  const promptTokens = opts.promptTokens ?? 10;
  const completionTokens = opts.completionTokens ?? 5;
  return {
    status: 200,
    json: {
      id: `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: opts.model ?? 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      ...(opts.usage === false
        ? {}
        : {
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: completionTokens,
              total_tokens: promptTokens + completionTokens,
            },
          }),
    },
  };
}

const defaultResponder: FakeResponder = (body) => chatCompletion('Fake completion.', { model: body?.model });

function letterHistogram(input: string): number[] {
  const counts = new Array<number>(26).fill(0);
  for (const ch of input.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) counts[i]! += 1;
  }
  return counts;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: any[] = [];
  const embeddingRequests: any[] = [];
  let responder: FakeResponder = defaultResponder;
  let embed: (input: string) => number[] = letterHistogram;

  const server = createServer(async (req, res) => {
    try {
      const path = req.url?.split('?')[0];
      if (req.method === 'POST' && path === '/v1/embeddings') {
        const body = JSON.parse(await readBody(req));
        embeddingRequests.push(body);
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        // Like OpenAI: floats, or base64 of little-endian float32 when asked (the SDK asks by default).
        const encode = (vector: number[]) =>
          body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
        const data = inputs.map((input, index) => ({ object: 'embedding', index, embedding: encode(embed(input)) }));
        // Out of order on purpose: clients must use `index`.
        data.reverse();
        const tokens = inputs.reduce((n, input) => n + Math.ceil(input.length / 4), 0);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data,
            model: body.model,
            usage: { prompt_tokens: tokens, total_tokens: tokens },
          }),
        );
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } }));
        return;
      }
      const text = await readBody(req);
      const body = text ? JSON.parse(text) : {};
      requests.push(body);
      const reply = await responder(body);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
    } catch (err) {
      if (res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err), type: 'server_error' } }));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingRequests,
    embedWith(fn) {
      embed = fn;
    },
    respondWith(fn) {
      if (typeof fn === 'function') {
        responder = fn;
        return;
      }
      const queue = [...fn];
      responder = (body) => queue.shift() ?? defaultResponder(body);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
