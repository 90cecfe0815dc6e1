/**
 * A webhook receiver on 127.0.0.1:0 for tests: records every POST (headers, body), remembers the
 * idempotency keys it has accepted (so `deliveries` shows each delivery once however often it was sent),
 * and can be told to fail the next requests (a status, or an accepted request whose answer is lost).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  key: string | undefined;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  /** What the receiver answered (0: the connection was cut after the request was accepted). */
  status: number;
}

export interface FakeWebhook {
  url: string;
  /** Every request received, in order, including failed and repeated ones. */
  received: ReceivedPost[];
  /** The accepted requests, once per idempotency key (what a receiver that honours the key shows). */
  deliveries(): ReceivedPost[];
  /** Answers the next `times` requests with `status` (e.g. 503, 429 with `retryAfter` seconds). */
  failNext(status: number, options?: { times?: number; retryAfter?: number }): void;
  /** Accepts the next request, then cuts the connection before answering (the sender cannot know it arrived). */
  dropNextAnswer(): void;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const received: ReceivedPost[] = [];
  const accepted = new Map<string, ReceivedPost>();
  const failures: Array<{ status: number; retryAfter?: number }> = [];
  let dropNext = false;
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['idempotency-key'];
      const key = Array.isArray(header) ? header[0] : header;
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const failure = failures.shift();
      const post: ReceivedPost = { headers: req.headers, key, body, json, status: failure?.status ?? (dropNext ? 0 : 200) };
      received.push(post);
      if (failure) {
        res.writeHead(failure.status, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
        res.end();
        return;
      }
      if (key !== undefined && !accepted.has(key)) accepted.set(key, post);
      if (dropNext) {
        dropNext = false;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/briefbot`,
    received,
    deliveries: () => [...accepted.values()],
    failNext(status, options = {}) {
      for (let i = 0; i < (options.times ?? 1); i++) {
        failures.push({ status, ...(options.retryAfter !== undefined ? { retryAfter: options.retryAfter } : {}) });
      }
    },
    dropNextAnswer() {
      dropNext = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
