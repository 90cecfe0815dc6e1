/**
 * @module The one way briefbot fetches URLs: conditional GET, an overall deadline (slow drips
 * included), a byte cap on both the wire and the decompressed body, gzip/deflate/br, a redirect limit,
 * a real User-Agent, per-host concurrency, and the address guard on every hop.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../shared/errors.ts';
import { type AddressPolicy, assertHostAllowed, createGuardedLookup } from './address-guard.ts';
import { KeyedLimiter } from './host-limiter.ts';

export const DEFAULT_USER_AGENT = 'briefbot/0.1 (+https://github.com/briefbot/briefbot; news briefing bot)';

export const ACCEPT_FEED =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
export const ACCEPT_HTML = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  perHostConcurrency: number;
  policy: AddressPolicy;
}

export interface GetOptions {
  accept?: string;
  etag?: string | null | undefined;
  lastModified?: string | null | undefined;
  maxBytes?: number;
  timeoutMs?: number;
}

export interface HttpResponse {
  /** 200-class status, or 304 when the conditional GET matched. */
  status: number;
  /** The final URL after redirects. */
  url: string;
  redirects: string[];
  headers: IncomingHttpHeaders;
  body: Buffer;
  notModified: boolean;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
}

/** The port ingestion depends on, so a test can hand in a client with other limits. */
export interface HttpGetter {
  get(url: string, options?: GetOptions): Promise<HttpResponse>;
  close(): void;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createHttpClient(options: HttpClientOptions): HttpGetter {
  const lookup = createGuardedLookup(options.policy);
  const agentOptions = { keepAlive: true, maxSockets: options.perHostConcurrency, lookup };
  const httpAgent = new http.Agent(agentOptions as http.AgentOptions);
  const httpsAgent = new https.Agent(agentOptions as https.AgentOptions);
  const limiter = new KeyedLimiter(options.perHostConcurrency);

  async function get(url: string, opts: GetOptions = {}): Promise<HttpResponse> {
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs;
    const maxBytes = opts.maxBytes ?? options.maxBytes;
    // The clock starts when the request does (a slot on its host is free), not while it waits for one:
    // a host's stalled feeds must not time out its healthy ones queued behind them.
    let deadline: number | null = null;
    const redirects: string[] = [];
    let current = url;
    for (let hop = 0; ; hop++) {
      const target = parseHttpUrl(current);
      assertHostAllowed(options.policy, current, target.hostname);
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept: opts.accept ?? '*/*',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (opts.etag) headers['if-none-match'] = opts.etag;
      if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
      const agent = target.protocol === 'https:' ? httpsAgent : httpAgent;
      const raw = await limiter.run(target.host, () => {
        deadline ??= Date.now() + timeoutMs;
        return requestOnce(target, headers, agent, { deadline, timeoutMs, maxBytes, originalUrl: url });
      });
      if (REDIRECTS.has(raw.status)) {
        const location = raw.headers.location;
        if (!location)
          throw new FetchError('fetch_http_status', `HTTP ${raw.status} without a Location header`, { url: current, status: raw.status });
        if (hop >= options.maxRedirects) {
          throw new FetchError('fetch_too_many_redirects', `more than ${options.maxRedirects} redirects`, { url });
        }
        current = new URL(location, current).href;
        redirects.push(current);
        continue;
      }
      if (raw.status === 304) return toResponse(raw, current, redirects, true);
      if (raw.status < 200 || raw.status >= 300) {
        const retryAfterMs = parseRetryAfter(raw.headers['retry-after']);
        throw new FetchError('fetch_http_status', `HTTP ${raw.status}`, {
          url: current,
          status: raw.status,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      return toResponse(raw, current, redirects, false);
    }
  }

  return {
    get,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function toResponse(raw: RawResponse, url: string, redirects: string[], notModified: boolean): HttpResponse {
  const h = raw.headers;
  return {
    status: raw.status,
    url,
    redirects,
    headers: h,
    body: raw.body,
    notModified,
    etag: typeof h.etag === 'string' ? h.etag : null,
    lastModified: typeof h['last-modified'] === 'string' ? h['last-modified'] : null,
    contentType: typeof h['content-type'] === 'string' ? h['content-type'] : null,
  };
}

function parseHttpUrl(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new FetchError('fetch_bad_url', `not a valid URL: ${url}`, { url });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError('fetch_bad_url', `unsupported URL scheme ${target.protocol} (only http and https)`, { url });
  }
  return target;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function requestOnce(
  target: URL,
  headers: Record<string, string>,
  agent: http.Agent,
  limits: { deadline: number; timeoutMs: number; maxBytes: number; originalUrl: string },
): Promise<RawResponse> {
  const url = target.href;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: FetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const remaining = limits.deadline - Date.now();
    const timer = setTimeout(
      () => fail(new FetchError('fetch_timeout', `timed out after ${limits.timeoutMs} ms`, { url })),
      Math.max(1, remaining),
    );
    const mod = target.protocol === 'https:' ? https : http;
    const req = mod.request(target, { method: 'GET', headers, agent }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) || status === 304 || status < 200 || status >= 300) {
        res.resume();
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: res.headers, body: Buffer.alloc(0) });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        fail(tooLarge(url, limits.maxBytes, `declared ${declared} bytes`));
        return;
      }
      let wire = 0;
      res.on('data', (chunk: Buffer) => {
        wire += chunk.length;
        if (wire > limits.maxBytes) fail(tooLarge(url, limits.maxBytes, 'body'));
      });
      let stream: Readable = res;
      const encoding = String(res.headers['content-encoding'] ?? '')
        .trim()
        .toLowerCase();
      try {
        stream = decompressor(res, encoding);
      } catch (err) {
        fail(new FetchError('fetch_decode', (err as Error).message, { url }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) fail(tooLarge(url, limits.maxBytes, 'decompressed body'));
        else chunks.push(chunk);
      });
      stream.on('error', (err: Error) =>
        fail(new FetchError('fetch_decode', `could not decode ${encoding || 'body'}: ${err.message}`, { url, cause: err })),
      );
      stream.on('end', () => {
        if (settled) return;
        let body: Buffer = Buffer.concat(chunks, size);
        if (encoding === 'deflate') {
          try {
            body = inflateDeflate(body, limits.maxBytes);
          } catch (err) {
            fail(
              err instanceof RangeError
                ? tooLarge(url, limits.maxBytes, 'decompressed body')
                : new FetchError('fetch_decode', `could not inflate deflate body: ${(err as Error).message}`, { url }),
            );
            return;
          }
        }
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: res.headers, body });
      });
      res.on('aborted', () => fail(new FetchError('fetch_network', 'connection closed mid-body', { url })));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EBLOCKEDADDRESS') {
        fail(new FetchError('fetch_blocked_address', `refused to fetch ${url}: ${err.message}`, { url, cause: err }));
      } else {
        const message = err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
        fail(new FetchError('fetch_network', message || 'network error', { url, cause: err }));
      }
    });
    req.end();
  });
}

function tooLarge(url: string, max: number, what: string): FetchError {
  return new FetchError('fetch_too_large', `response larger than the ${max}-byte cap (${what})`, { url });
}

function decompressor(res: IncomingMessage, encoding: string): Readable {
  switch (encoding) {
    case '':
    case 'identity':
    case 'deflate': // inflated after the body is complete: see inflateDeflate
      return res;
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      throw new Error(`unsupported content-encoding "${encoding}"`);
  }
}

/** "deflate" is zlib-wrapped per RFC 9110, but some servers send raw deflate: try both, capped. */
function inflateDeflate(body: Buffer, maxBytes: number): Buffer {
  try {
    return zlib.inflateSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError) throw err;
    return zlib.inflateRawSync(body, { maxOutputLength: maxBytes });
  }
}
