/**
 * `/healthz`, `/livez`, `/readyz` and `/metrics` on a small node:http server.
 *  - `/livez`: is the process working at all (the poll loop keeps starting cycles)? For a liveness
 *    probe: 503 only when a restart would help.
 *  - `/readyz` and `/healthz`: is there anything an operator must act on? 503 with the `problems`;
 *    passing trouble (a rate limit, a short outage, a reconnect) is a `notice`, never a 503.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.ts';

export interface Health {
  status: 'ok' | 'starting' | 'degraded';
  /** The process is doing its work (see `/livez`). */
  live?: boolean;
  [key: string]: unknown;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: {
  port: number;
  host: string;
  metrics: Metrics;
  health: () => Health;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const h = options.health();
      res.writeHead(h.status === 'degraded' ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(path === '/healthz' ? h : { status: h.status, problems: h['problems'] ?? [] }));
      return;
    }
    if (path === '/livez') {
      const live = options.health().live !== false;
      res.writeHead(live ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ live }));
      return;
    }
    if (path === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500).end(String(err));
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
