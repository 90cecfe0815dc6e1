/**
 * A local stand-in for an OpenAI-compatible chat completions endpoint. Each test sets how it answers
 * (`respond`), and reads back the requests it received (`requests`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; messages?: Array<{ role: string; content: string }>; response_format?: unknown };
}

export type Reply = { status?: number; content?: string; raw?: string; delayMs?: number };

export interface FakeOpenAi {
  baseUrl: string;
  requests: ChatRequest[];
  respond(reply: Reply | ((req: ChatRequest) => Reply)): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let handler: (req: ChatRequest) => Reply = () => ({ status: 500 });
  const requests: ChatRequest[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
    });
    req.on('end', () => {
      const request: ChatRequest = { path: req.url ?? '', headers: req.headers, body: data ? JSON.parse(data) : {} };
      requests.push(request);
      const reply = handler(request);
      const send = () => {
        if (res.destroyed) return;
        const body =
          reply.raw ??
          JSON.stringify({
            id: 'chatcmpl-test',
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: reply.content ?? '' }, finish_reason: 'stop' }],
          });
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(reply) {
      handler = typeof reply === 'function' ? reply : () => reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
