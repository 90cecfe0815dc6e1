/**
 * A local stand-in for the Slack Web API (and for Slack's `response_url` endpoint), for tests that run the
 * real @slack/bolt App / WebClient against it: `new App({ …, clientOptions: { slackApiUrl: fake.apiUrl } })`.
 *
 * - `POST /api/<method>` answers the methods briefbot uses (auth.test, chat.postMessage, chat.postEphemeral,
 *   chat.update, conversations.history / replies / info / join); anything else gets `unknown_method`.
 *   Bodies may be form-encoded (what WebClient sends: objects such as `blocks` and `metadata` arrive as JSON
 *   strings, booleans as "true") or JSON; both are decoded into `call.args`.
 * - `POST /response/<id>` records what the app sent to a `response_url` (see `responseUrl(id)`, `responses`).
 * - Test controls: `calls`, `failNext`, `down`, `setChannels`, `addMessage`, `waitFor…`, `reset`, `close`.
 * - `apps.connections.open` (Socket Mode) is answered by whatever `setConnectionsOpen` installed (the Socket Mode
 *   fake, test/fakes/fake-slack-socket.ts, does); with nothing installed it fails with `invalid_auth`.
 *
 * Message timestamps come from `now()` (default `Date.now`) in microseconds, bumped so they strictly increase,
 * formatted like Slack's `"1700000000.000100"`. Pass `now: () => 1_700_000_000_000` for fixed values.
 */
import { Buffer } from 'node:buffer';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_BOT = { user_id: 'UBOT', bot_id: 'BBOT', app_id: 'AAPP', team_id: 'T1', user: 'briefbot', team: 'Test' } as const;

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A message as the fake returns it from conversations.history / replies (plus `channel`, for convenience). */
export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  text: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  subtype?: string;
  thread_ts?: string;
  parent_user_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
  edited?: { user: string; ts: string };
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
}

export interface FakeCall {
  method: string;
  /** Decoded arguments (form values as strings, except JSON fields such as blocks/metadata, which are parsed). */
  args: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Bearer token from the Authorization header (or a `token` body field). */
  token: string | undefined;
  contentType: string;
  rawBody: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** What the fake answered (filled in once answered). */
  response?: { status: number; body: unknown };
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  message_ts: string;
}

export interface FakeResponse {
  id: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface FakeChannel {
  id: string;
  name?: string;
  /** Is the bot a member? Posting to a channel it is not in fails with `not_in_channel` (conversations.join fixes it). */
  member?: boolean;
  is_private?: boolean;
}

/** HTTP failure (429 gets a `Retry-After` header and `{ok:false,error:'ratelimited'}`), or an `ok:false` answer with HTTP 200. */
export type FakeFailure =
  | { status: number; retryAfterSeconds?: number; body?: string }
  | { error: string; fields?: Record<string, unknown> };

/** Answers `apps.connections.open`: a WebSocket URL, or an `ok:false` error. */
export type ConnectionsOpenHandler = (call: FakeCall) => { url: string } | { error: string };

export interface FakeSlackApiOptions {
  /** Clock for message timestamps, in ms. Default Date.now. */
  now?: () => number;
}

export interface FakeSlackApi {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `${url}/api/` — pass as `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** Every request to /api/, in arrival order. */
  calls: FakeCall[];
  /** Calls to methods the fake does not implement (answered with `unknown_method`). */
  unknownCalls: FakeCall[];
  ephemerals: FakeEphemeral[];
  responses: FakeResponse[];
  callsTo(method: string): FakeCall[];
  /** Queue `failure` for the next `times` calls to `method` (queued failures are used in order). */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /**
   * Calls to `method` are carried out (a posted message is stored) but not answered until the returned
   * release function is called: the caller never learns that its call succeeded (e.g. it is killed first).
   * With `after`, that many calls are answered normally first.
   */
  hold(method: string, options?: { after?: number }): () => void;
  /** While down, every request (API and response URLs) gets HTTP 503. */
  down(isDown: boolean): void;
  /** Restrict the known channels: others get `channel_not_found`. Default: any channel id works. */
  setChannels(channels: Array<string | FakeChannel>): void;
  /** Every message in `channel` (top-level and thread replies), oldest first (ts order); all channels without an argument. */
  messages(channel?: string): FakeMessage[];
  /** The parent and its replies, oldest first (empty if there is no such message). */
  thread(channel: string, ts: string): FakeMessage[];
  /** Store a message as if someone (by default user U1) had posted it; returns it. */
  addMessage(
    channel: string,
    message: {
      text: string;
      user?: string;
      ts?: string;
      thread_ts?: string;
      blocks?: unknown[];
      metadata?: MessageMetadata;
      bot_id?: string;
    },
  ): FakeMessage;
  /** URL the app can POST to as a `response_url`; what it sends appears in `responses`. */
  responseUrl: (id: string) => string;
  responsesTo(id: string): FakeResponse[];
  /**
   * Resolve once `predicate()` holds (checked now, after every request to the fake, and every 10 ms, so it may be
   * about the app's state too); reject after `timeoutMs` (default 2000) or on close().
   */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Resolve with the calls to `method` once there are at least `count`. */
  waitForCalls(method: string, count?: number, timeoutMs?: number): Promise<FakeCall[]>;
  /**
   * Install (or, with undefined, remove) what answers `apps.connections.open`; without one it fails with
   * `invalid_auth`. Queued failures and `down` apply first, as for every method.
   */
  setConnectionsOpen(handler: ConnectionsOpenHandler | undefined): void;
  /** Forget messages, calls, responses, queued failures, channel allow-list and the down flag (not the connections.open handler). */
  reset(): void;
  close(): Promise<void>;
}

/** Fields WebClient JSON-encodes in form bodies; decoded back into objects in `call.args`. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks', 'options']);

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(args: Json, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function flag(args: Json, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

function int(args: Json, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined || s === '') return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** "1700000000.000100" → microseconds; undefined if it is not a Slack timestamp. */
export function tsToMicros(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts.trim());
  if (!m) return undefined;
  return BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function microsToTs(us: bigint): string {
  return `${us / 1_000_000n}.${(us % 1_000_000n).toString().padStart(6, '0')}`;
}

function compareTs(a: string, b: string): number {
  const x = tsToMicros(a) ?? 0n;
  const y = tsToMicros(b) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

function decodeArgs(contentType: string, raw: string): Json {
  if (raw.trim() === '') return {};
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : { _body: parsed };
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // leave it as the string it was
      }
    }
    args[key] = value;
  }
  return args;
}

function bearer(headers: IncomingHttpHeaders, args: Json): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return str(args, 'token');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(text);
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('next_ts:') && tsToMicros(decoded.slice(8)) !== undefined ? decoded.slice(8) : undefined;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const ok = (body: Json): Answer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, fields: Json = {}): Answer => ({ status: 200, body: { ok: false, error, ...fields } });

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const now = options.now ?? Date.now;
  const calls: FakeCall[] = [];
  const unknownCalls: FakeCall[] = [];
  const ephemerals: FakeEphemeral[] = [];
  const responses: FakeResponse[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const holds = new Map<string, { gate: Promise<void>; release: () => void; skip: number }>();
  const waiters = new Set<() => void>();
  const closers = new Set<() => void>();
  /** All stored messages, in ts order. */
  let store: FakeMessage[] = [];
  let channels: Map<string, Required<Pick<FakeChannel, 'id' | 'member'>> & FakeChannel> | undefined;
  let isDown = false;
  let connectionsOpen: ConnectionsOpenHandler | undefined;
  let lastTs = 0n;

  const nextTs = (): string => {
    const candidate = BigInt(Math.floor(now())) * 1000n;
    lastTs = candidate > lastTs ? candidate : lastTs + 1n;
    return microsToTs(lastTs);
  };

  /** Keep the store in ts order; a seeded ts later than any so far moves the clock on, so ts stay increasing. */
  const insert = (m: FakeMessage) => {
    const us = tsToMicros(m.ts);
    if (us !== undefined && us > lastTs) lastTs = us;
    store.push(m);
    store.sort((a, b) => compareTs(a.ts, b.ts));
  };

  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const find = (channel: string, ts: string) => store.find((m) => m.channel === channel && m.ts === ts);
  const isTopLevel = (m: FakeMessage) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';
  const repliesOf = (parent: FakeMessage) =>
    store.filter((m) => m.channel === parent.channel && m.thread_ts === parent.ts && m.ts !== parent.ts);

  /** A copy as Slack would return it: thread summary on parents, metadata only when asked for. */
  const present = (m: FakeMessage, withMetadata: boolean): FakeMessage => {
    const copy = structuredClone(m);
    const replies = repliesOf(m);
    if (replies.length > 0 && (m.thread_ts === undefined || m.thread_ts === m.ts)) {
      copy.thread_ts = m.ts;
      copy.reply_count = replies.length;
      copy.reply_users = [...new Set(replies.map((r) => r.user))];
      copy.latest_reply = replies.at(-1)?.ts;
    }
    if (!withMetadata) delete copy.metadata;
    return copy;
  };

  const channelError = (channel: string | undefined, forPosting: boolean): Answer | undefined => {
    if (!channel) return fail('channel_not_found');
    if (!channels) return undefined;
    const known = channels.get(channel);
    if (!known) return fail('channel_not_found');
    if (forPosting && !known.member) return fail('not_in_channel');
    return undefined;
  };

  const channelInfo = (id: string): Json => {
    const known = channels?.get(id);
    return {
      id,
      name: known?.name ?? `channel-${id.toLowerCase()}`,
      is_channel: !id.startsWith('D') && !id.startsWith('G'),
      is_im: id.startsWith('D'),
      is_private: known?.is_private ?? false,
      is_archived: false,
      is_member: known?.member ?? true,
      created: 1_700_000_000,
    };
  };

  /** Shared checks of message content for postMessage / update; returns an error or the content fields. */
  const content = (args: Json, requireSome: boolean): Answer | Partial<FakeMessage> => {
    const out: Partial<FakeMessage> = {};
    const text = str(args, 'text');
    if (text !== undefined) out.text = text;
    if (args.blocks !== undefined) {
      if (!Array.isArray(args.blocks)) return fail('invalid_blocks_format');
      out.blocks = args.blocks;
    }
    if (args.attachments !== undefined) {
      if (!Array.isArray(args.attachments)) return fail('invalid_attachments');
      out.attachments = args.attachments;
    }
    if (args.metadata !== undefined) {
      const md = args.metadata;
      if (!isRecord(md) || typeof md.event_type !== 'string' || !isRecord(md.event_payload)) return fail('invalid_metadata_format');
      out.metadata = { event_type: md.event_type, event_payload: md.event_payload };
    }
    if (requireSome && out.text === undefined && out.blocks === undefined && out.attachments === undefined) return fail('no_text');
    return out;
  };

  const isAnswer = (v: Answer | Partial<FakeMessage>): v is Answer => 'status' in v && 'body' in v;

  /** Newest-first (history) or oldest-first (replies) page over `list`, paged with a `next_ts` cursor. */
  const page = (
    list: FakeMessage[],
    args: Json,
    newestFirst: boolean,
    defaultLimit: number,
  ): Answer | { items: FakeMessage[]; next?: string } => {
    const oldest = str(args, 'oldest');
    const latest = str(args, 'latest');
    const inclusive = flag(args, 'inclusive');
    if (oldest !== undefined && tsToMicros(oldest) === undefined) return fail('invalid_ts_oldest');
    if (latest !== undefined && tsToMicros(latest) === undefined) return fail('invalid_ts_latest');
    let items = list.filter((m) => {
      if (oldest !== undefined && (inclusive ? compareTs(m.ts, oldest) < 0 : compareTs(m.ts, oldest) <= 0)) return false;
      if (latest !== undefined && (inclusive ? compareTs(m.ts, latest) > 0 : compareTs(m.ts, latest) >= 0)) return false;
      return true;
    });
    items.sort((a, b) => (newestFirst ? compareTs(b.ts, a.ts) : compareTs(a.ts, b.ts)));
    const cursor = str(args, 'cursor');
    if (cursor) {
      const from = decodeCursor(cursor);
      if (from === undefined) return fail('invalid_cursor');
      items = items.filter((m) => (newestFirst ? compareTs(m.ts, from) <= 0 : compareTs(m.ts, from) >= 0));
    }
    const requested = int(args, 'limit');
    const limit = requested === undefined || requested <= 0 ? defaultLimit : Math.min(requested, 999);
    const rest = items[limit];
    return { items: items.slice(0, limit), ...(rest ? { next: encodeCursor(rest.ts) } : {}) };
  };

  const methods: Record<string, (args: Json, call: FakeCall) => Answer> = {
    'auth.test': () =>
      ok({
        url: 'https://test.slack.com/',
        team: FAKE_BOT.team,
        user: FAKE_BOT.user,
        team_id: FAKE_BOT.team_id,
        user_id: FAKE_BOT.user_id,
        bot_id: FAKE_BOT.bot_id,
        is_enterprise_install: false,
      }),

    'chat.postMessage': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, true);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const fields = content(args, true);
      if (isAnswer(fields)) return fields;
      const threadTs = str(args, 'thread_ts');
      const message: FakeMessage = {
        type: 'message',
        channel,
        ts: nextTs(),
        user: FAKE_BOT.user_id,
        bot_id: FAKE_BOT.bot_id,
        app_id: FAKE_BOT.app_id,
        team: FAKE_BOT.team_id,
        text: fields.text ?? '',
        ...fields,
      };
      if (threadTs) {
        // An unknown thread_ts is accepted as is: the parent may predate the test (see addMessage).
        const parent = find(channel, threadTs);
        message.thread_ts = parent ? (parent.thread_ts ?? parent.ts) : threadTs;
        if (parent) message.parent_user_id = parent.user;
        if (flag(args, 'reply_broadcast')) message.subtype = 'thread_broadcast';
      }
      insert(message);
      const { channel: _c, ...wire } = present(message, true);
      return ok({ channel, ts: message.ts, message: wire });
    },

    'chat.postEphemeral': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, true);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const user = str(args, 'user');
      if (!user) return fail('user_not_in_channel');
      const fields = content(args, true);
      if (isAnswer(fields)) return fields;
      const threadTs = str(args, 'thread_ts');
      const message_ts = nextTs();
      ephemerals.push({
        channel,
        user,
        text: fields.text ?? '',
        ...(fields.blocks ? { blocks: fields.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        message_ts,
      });
      return ok({ message_ts });
    },

    'chat.update': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, false);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const message = find(channel, str(args, 'ts') ?? '');
      if (!message) return fail('message_not_found');
      if (message.user !== FAKE_BOT.user_id) return fail('cant_update_message');
      const fields = content(args, false);
      if (isAnswer(fields)) return fields;
      Object.assign(message, fields, { edited: { user: FAKE_BOT.user_id, ts: nextTs() } });
      const { channel: _c, ...wire } = present(message, true);
      return ok({ channel, ts: message.ts, text: message.text, message: wire });
    },

    'conversations.history': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, false);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const result = page(
        store.filter((m) => m.channel === channel && isTopLevel(m)),
        args,
        true,
        100,
      );
      if ('status' in result) return result;
      const withMetadata = flag(args, 'include_all_metadata');
      return ok({
        messages: result.items.map((m) => present(m, withMetadata)),
        has_more: result.next !== undefined,
        pin_count: 0,
        ...(result.next ? { response_metadata: { next_cursor: result.next } } : {}),
      });
    },

    'conversations.replies': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, false);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const target = find(channel, str(args, 'ts') ?? '');
      if (!target) return fail('thread_not_found');
      const withMetadata = flag(args, 'include_all_metadata');
      // Asked about a reply: Slack answers with just that message.
      if (target.thread_ts !== undefined && target.thread_ts !== target.ts) {
        return ok({ messages: [present(target, withMetadata)], has_more: false });
      }
      const replies = page(repliesOf(target), args, false, 1000);
      if ('status' in replies) return replies;
      const includeParent = !str(args, 'cursor');
      return ok({
        messages: [...(includeParent ? [target] : []), ...replies.items].map((m) => present(m, withMetadata)),
        has_more: replies.next !== undefined,
        ...(replies.next ? { response_metadata: { next_cursor: replies.next } } : {}),
      });
    },

    'conversations.info': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, false);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      return ok({ channel: channelInfo(channel) });
    },

    'apps.connections.open': (_args, call) => {
      const answer = connectionsOpen?.(call) ?? { error: 'invalid_auth' };
      return 'url' in answer ? ok({ url: answer.url }) : fail(answer.error);
    },

    'conversations.join': (args) => {
      const channel = str(args, 'channel');
      const bad = channelError(channel, false);
      if (bad || channel === undefined) return bad ?? fail('channel_not_found');
      const known = channels?.get(channel);
      if (known) known.member = true;
      return ok({ channel: channelInfo(channel) });
    },
  };

  const applyFailure = (f: FakeFailure): Answer => {
    if ('error' in f) return fail(f.error, f.fields);
    if (f.status === 429) {
      return {
        status: 429,
        body: f.body ?? { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(f.retryAfterSeconds ?? 1) },
      };
    }
    return { status: f.status, body: f.body ?? { ok: false, error: 'internal_error' } };
  };

  const handleApi = (method: string, headers: IncomingHttpHeaders, contentType: string, rawBody: string): Answer => {
    let args: Json;
    try {
      args = decodeArgs(contentType, rawBody);
    } catch {
      args = {};
    }
    const call: FakeCall = { method, args, headers, token: bearer(headers, args), contentType, rawBody, at: Date.now() };
    calls.push(call);
    const answer = ((): Answer => {
      if (isDown) return { status: 503, body: 'Service Unavailable' };
      const queued = failures.get(method)?.shift();
      if (queued) return applyFailure(queued);
      const impl = methods[method];
      if (!impl) {
        unknownCalls.push(call);
        return fail('unknown_method');
      }
      if (!call.token) return fail('not_authed');
      return impl(args, call);
    })();
    call.response = { status: answer.status, body: answer.body };
    return answer;
  };

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((rawBody) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const contentType = String(req.headers['content-type'] ?? '');
        if (path.startsWith('/api/')) {
          const method = decodeURIComponent(path.slice(5));
          const answer = handleApi(method, req.headers, contentType, rawBody);
          const held = holds.get(method);
          if (held && held.skip > 0) held.skip--;
          else if (held) {
            notify();
            return held.gate.then(() => send(res, answer.status, answer.body, answer.headers));
          }
          send(res, answer.status, answer.body, answer.headers);
          notify();
          return undefined;
        }
        if (path.startsWith('/response/') && req.method === 'POST') {
          if (isDown) {
            send(res, 503, 'Service Unavailable');
          } else {
            let body: unknown = rawBody;
            try {
              body = JSON.parse(rawBody);
            } catch {
              // keep the raw text
            }
            responses.push({ id: decodeURIComponent(path.slice('/response/'.length)), body, headers: req.headers, at: Date.now() });
            send(res, 200, { ok: true });
          }
        } else {
          send(res, 404, { ok: false, error: 'not_found' });
        }
        notify();
        return undefined;
      })
      .catch((err: unknown) => send(res, 500, { ok: false, error: 'fake_crashed', detail: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const fake: FakeSlackApi = {
    url,
    apiUrl: `${url}/api/`,
    calls,
    unknownCalls,
    ephemerals,
    responses,
    callsTo: (method) => calls.filter((c) => c.method === method),
    hold(method, options = {}) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const entry = {
        gate,
        skip: options.after ?? 0,
        release: () => {
          if (holds.get(method) === entry) holds.delete(method);
          release();
        },
      };
      holds.set(method, entry);
      return entry.release;
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    down(value) {
      isDown = value;
    },
    setChannels(list) {
      channels = new Map(
        list.map((c) => {
          const channel = typeof c === 'string' ? { id: c } : c;
          return [channel.id, { ...channel, member: channel.member ?? true }];
        }),
      );
    },
    messages: (channel) => store.filter((m) => channel === undefined || m.channel === channel).map((m) => present(m, true)),
    thread(channel, ts) {
      const parent = find(channel, ts);
      if (!parent) return [];
      return [parent, ...repliesOf(parent)].map((m) => present(m, true));
    },
    addMessage(channel, input) {
      const message: FakeMessage = {
        type: 'message',
        channel,
        ts: input.ts ?? nextTs(),
        user: input.user ?? 'U1',
        text: input.text,
        ...(input.bot_id ? { bot_id: input.bot_id } : {}),
        ...(input.blocks ? { blocks: input.blocks } : {}),
        ...(input.metadata ? { metadata: input.metadata } : {}),
      };
      if (input.thread_ts) {
        const parent = find(channel, input.thread_ts);
        message.thread_ts = input.thread_ts;
        if (parent) message.parent_user_id = parent.user;
      }
      insert(message);
      notify();
      return present(message, true);
    },
    responseUrl: (id) => `${url}/response/${encodeURIComponent(id)}`,
    responsesTo: (id) => responses.filter((r) => r.id === id),
    waitFor(predicate, timeoutMs = 2000, what = 'condition') {
      if (predicate()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const finish = (err?: Error) => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(check);
          closers.delete(onClose);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (predicate()) finish();
        };
        const onClose = () => finish(new Error(`fake Slack: closed while waiting for ${what}`));
        const timer = setTimeout(() => {
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          finish(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what} (calls so far: ${seen})`));
        }, timeoutMs);
        // Checked after every request to the fake, and polled, for predicates about the app's own state.
        const poll = setInterval(check, 10);
        waiters.add(check);
        closers.add(onClose);
      });
    },
    async waitForCalls(method, count = 1, timeoutMs = 2000) {
      await fake.waitFor(() => fake.callsTo(method).length >= count, timeoutMs, `${count} call(s) to ${method}`);
      return fake.callsTo(method);
    },
    setConnectionsOpen(handler) {
      connectionsOpen = handler;
    },
    reset() {
      calls.length = 0;
      unknownCalls.length = 0;
      ephemerals.length = 0;
      responses.length = 0;
      failures.clear();
      for (const h of [...holds.values()]) h.release();
      store = [];
      channels = undefined;
      isDown = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of [...closers]) c();
        for (const h of [...holds.values()]) h.release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
