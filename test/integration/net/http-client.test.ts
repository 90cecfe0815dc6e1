import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpGetter } from '../../../src/net/http-client.ts';
import { FetchError } from '../../../src/shared/errors.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';

let server: FakeFeedServer;
let client: HttpGetter;

const options = {
  userAgent: 'briefbot-test/1.0',
  timeoutMs: 1500,
  maxBytes: 64 * 1024,
  maxRedirects: 3,
  perHostConcurrency: 2,
  policy: { allowPrivate: false, allowHosts: new Set(['127.0.0.1']) },
};

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error('expected the fetch to fail');
}

beforeAll(async () => {
  server = await startFakeFeedServer();
  client = createHttpClient(options);
});
afterAll(async () => {
  client.close();
  await server.close();
});

describe('ingest/http-client', () => {
  it('sends a real User-Agent and Accept-Encoding, and returns ETag and Last-Modified', async () => {
    server.route('/feed', { headers: { etag: '"v1"', 'last-modified': 'Sat, 26 Apr 2025 10:00:00 GMT' }, body: '<rss/>' });
    const res = await client.get(`${server.url}/feed`, { accept: 'application/rss+xml' });
    expect(res.body.toString()).toBe('<rss/>');
    expect(res.etag).toBe('"v1"');
    expect(res.lastModified).toBe('Sat, 26 Apr 2025 10:00:00 GMT');
    const seen = server.requestsFor('/feed')[0]?.headers;
    expect(seen?.['user-agent']).toBe('briefbot-test/1.0');
    expect(seen?.['accept-encoding']).toContain('gzip');
    expect(seen?.accept).toBe('application/rss+xml');
  });

  it('makes a conditional GET and reports 304 Not Modified without a body', async () => {
    server.route('/cond', ({ headers }) =>
      headers['if-none-match'] === '"abc"' ? { status: 304 } : { headers: { etag: '"abc"' }, body: 'full' },
    );
    const first = await client.get(`${server.url}/cond`);
    expect(first.notModified).toBe(false);
    const second = await client.get(`${server.url}/cond`, { etag: first.etag, lastModified: 'Sat, 26 Apr 2025 10:00:00 GMT' });
    expect(second.notModified).toBe(true);
    expect(second.status).toBe(304);
    const last = server.requestsFor('/cond').at(-1)?.headers;
    expect(last?.['if-none-match']).toBe('"abc"');
    expect(last?.['if-modified-since']).toBe('Sat, 26 Apr 2025 10:00:00 GMT');
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
  ] as const)('decodes %s bodies', async (encoding, compress) => {
    const text = 'héllo '.repeat(500);
    const path = `/enc-${encoding}-${compress.name}`;
    server.route(path, { headers: { 'content-encoding': encoding }, body: compress(Buffer.from(text)) });
    const res = await client.get(`${server.url}${path}`);
    expect(res.body.toString()).toBe(text);
  });

  it('refuses a body over the size cap, declared or streamed', async () => {
    const big = Buffer.alloc(100 * 1024, 'a');
    server.route('/big-declared', { body: big });
    server.route('/big-chunked', { body: big, dripMs: 1, chunks: 20 });
    expect((await failure(client.get(`${server.url}/big-declared`))).code).toBe('fetch_too_large');
    expect((await failure(client.get(`${server.url}/big-chunked`))).code).toBe('fetch_too_large');
  });

  it('refuses a small gzip body that inflates past the cap (a zip bomb)', async () => {
    server.route('/bomb', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(10 * 1024 * 1024)) });
    const err = await failure(client.get(`${server.url}/bomb`));
    expect(err.code).toBe('fetch_too_large');
  });

  it('times out on a server that never answers, and on one that drips the body too slowly', async () => {
    server.route('/hang', { delayMs: 5000, body: 'late' });
    server.route('/drip', { body: 'x'.repeat(100), dripMs: 400, chunks: 10 });
    const started = Date.now();
    expect((await failure(client.get(`${server.url}/hang`, { timeoutMs: 300 }))).code).toBe('fetch_timeout');
    expect((await failure(client.get(`${server.url}/drip`, { timeoutMs: 600 }))).code).toBe('fetch_timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('follows redirects up to the limit and reports the final URL', async () => {
    server.route('/r1', { status: 301, headers: { location: '/r2' } });
    server.route('/r2', { status: 302, headers: { location: `${server.url}/final` } });
    server.route('/final', { body: 'done' });
    const res = await client.get(`${server.url}/r1`);
    expect(res.body.toString()).toBe('done');
    expect(res.url).toBe(`${server.url}/final`);
    expect(res.redirects).toHaveLength(2);

    server.route('/loop', { status: 302, headers: { location: '/loop' } });
    expect((await failure(client.get(`${server.url}/loop`))).code).toBe('fetch_too_many_redirects');
  });

  it('refuses a redirect to a private, loopback or link-local address', async () => {
    const port = server.host.split(':')[1];
    server.route('/to-metadata', { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    server.route('/to-localhost', { status: 302, headers: { location: `http://localhost:${port}/final` } });
    server.route('/to-private', { status: 307, headers: { location: 'http://10.1.2.3/internal' } });
    server.route('/to-v6', { status: 308, headers: { location: `http://[::1]:${port}/final` } });
    for (const path of ['/to-metadata', '/to-localhost', '/to-private', '/to-v6']) {
      const err = await failure(client.get(`${server.url}${path}`));
      expect(err.code, path).toBe('fetch_blocked_address');
    }
  });

  it('refuses loopback URLs outright when the policy allows no private hosts', async () => {
    const strict = createHttpClient({ ...options, policy: { allowPrivate: false, allowHosts: new Set() } });
    try {
      const err = await failure(strict.get(`${server.url}/final`));
      expect(err.code).toBe('fetch_blocked_address');
      expect(err.message).toContain('127.0.0.1');
    } finally {
      strict.close();
    }
  });

  it('reports HTTP errors with their status and Retry-After', async () => {
    server.route('/limited', { status: 429, headers: { 'retry-after': '120' } });
    server.route('/broken', { status: 500, body: 'oops' });
    const limited = await failure(client.get(`${server.url}/limited`));
    expect(limited.code).toBe('fetch_http_status');
    expect(limited.status).toBe(429);
    expect(limited.retryAfterMs).toBe(120_000);
    const broken = await failure(client.get(`${server.url}/broken`));
    expect(broken.status).toBe(500);
    expect(broken.message).toContain('500');
  });

  it('reports a refused connection as a network error', async () => {
    const err = await failure(client.get('http://127.0.0.1:1/feed'));
    expect(err.code).toBe('fetch_network');
  });

  it('rejects non-http schemes', async () => {
    expect((await failure(client.get('file:///etc/passwd'))).code).toBe('fetch_bad_url');
    expect((await failure(client.get('not a url'))).code).toBe('fetch_bad_url');
  });

  it('keeps at most perHostConcurrency requests in flight per host', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('/slow', () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => inFlight--, 150);
      return { delayMs: 150, body: 'ok' };
    });
    await Promise.all(Array.from({ length: 6 }, () => client.get(`${server.url}/slow`)));
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('starts a request’s deadline when it gets a slot: two stalled feeds on a host do not time out a healthy one behind them', async () => {
    server.route('/stalled', { delayMs: 5_000, body: 'never in time' });
    server.route('/healthy', { delayMs: 900, body: 'ok' });
    const started = Date.now();
    const [a, b, healthy] = await Promise.allSettled([
      client.get(`${server.url}/stalled`),
      client.get(`${server.url}/stalled`),
      client.get(`${server.url}/healthy`),
    ]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    // It waited ~1.5 s for a slot, then had its own 1.5 s: answered after 0.9 s of that.
    expect(healthy.status).toBe('fulfilled');
    expect(Date.now() - started).toBeGreaterThan(1_500);
  });
});
