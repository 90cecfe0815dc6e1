/**
 * A feed/page server on 127.0.0.1:0 for tests: register a response per path (status, headers, body,
 * delays, a slow drip), and read back every request it received (`requests`), including conditional
 * GET headers. Paths not registered answer 404 and are recorded in `unexpected`.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Send the body in `chunks` pieces, waiting this long between them. */
  dripMs?: number;
  chunks?: number;
}

export type FakeHandler = (req: { path: string; headers: IncomingHttpHeaders; count: number }) => FakeResponse;

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FakeFeedServer {
  url: string;
  /** Host:port, for building URLs. */
  host: string;
  route(path: string, response: FakeResponse | FakeHandler): void;
  requests: RecordedRequest[];
  unexpected: string[];
  requestsFor(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeFeedServer(): Promise<FakeFeedServer> {
  const routes = new Map<string, FakeHandler>();
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer((req, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname + (new URL(req.url ?? '/', 'http://x').search || '');
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path) ?? routes.get(path.split('?')[0] ?? path);
    if (!handler) {
      unexpected.push(path);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const r = handler({ path, headers: req.headers, count });
    const send = () => {
      const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
      res.writeHead(r.status ?? 200, r.headers ?? {});
      if (!r.dripMs) {
        res.end(body);
        return;
      }
      const n = Math.max(1, r.chunks ?? 10);
      const size = Math.ceil(body.length / n);
      let i = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (i >= n) {
          res.end();
          return;
        }
        res.write(body.subarray(i * size, (i + 1) * size));
        i++;
        setTimeout(tick, r.dripMs);
      };
      tick();
    };
    if (r.delayMs) setTimeout(send, r.delayMs);
    else send();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    route(path, response) {
      routes.set(path, typeof response === 'function' ? response : () => response);
    },
    requests,
    unexpected,
    requestsFor: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
