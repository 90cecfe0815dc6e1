/**
 * A local stand-in for Slack's Socket Mode, for tests that run the real @slack/bolt App (SocketModeReceiver,
 * @slack/socket-mode) against it. It hangs off the fake Web API (fake-slack-api.ts), which answers
 * `apps.connections.open` with this fake's URL:
 *
 *   const api = await startFakeSlackApi();
 *   const socket = await startFakeSlackSocket(api);
 *   const app = new App({ token: 'xoxb-…', appToken: 'xapp-…', socketMode: true, clientOptions: { slackApiUrl: api.apiUrl } });
 *   await app.start();                       // apps.connections.open → ws://127.0.0.1:PORT/link/?ticket=… → hello
 *
 * The App-built receiver reconnects only after the client's default clientPingTimeout (5 s). For fast reconnects
 * build `new SocketModeReceiver({ appToken, clientPingTimeout: 500, installerOptions: { clientOptions: { slackApiUrl } } })`
 * and pass it as `receiver` (a hand-built receiver does not get the App's clientOptions). Stop the app only while
 * it is connected (after `waitForConnection`): stopping a SocketModeClient in the middle of a reconnect leaves an
 * unhandled rejection and a 30 s timer behind. `app.stop()` does not wait for the close: `await socket.waitForDisconnect()`.
 *   const ack = await socket.slashCommand({ command: '/brief', text: 'today', channel_id: 'C1', user_id: 'U1' });
 *
 * What it does, as Slack does:
 * - `apps.connections.open` wants an app-level token (`xapp-…`; another kind gets `not_allowed_token_type`, and
 *   with `options.appToken` any other app token gets `invalid_auth`) and hands out a single-use ticket URL; an
 *   upgrade with an unknown or used ticket is refused with HTTP 401. `api.down(true)` and `api.failNext(…)` apply.
 * - On connect it sends `{type:'hello', num_connections, debug_info, connection_info}` and then a WebSocket ping:
 *   the client answers a ping only after it has dispatched the frames before it, so the pong tells the fake the
 *   client has taken the hello (`waitForConnection`). Then it pings every `pingIntervalMs`, as
 *   Slack does (once pinged, the client drops a connection that stays silent for its `serverPingTimeout`). Envelopes
 *   `{envelope_id, type, payload, accepts_response_payload}` go to the newest open connection, and each sender's
 *   promise resolves with the client's ack `{envelope_id, payload}` (or rejects after `ackTimeoutMs`, default 3 s;
 *   at once when no client is connected).
 * - It answers the client's WebSocket pings with pongs; `stall()` silences a connection (no pings, no pongs).
 * - `drop()` cuts the TCP connection (no close frame); `refresh()` sends `{type:'disconnect', reason:'refresh_requested'}`.
 *
 * Payloads are those of Slack's HTTP requests (see slack-requests.ts), which Bolt routes the same way. A slash
 * command's or block action's `response_url` defaults to `api.responseUrl(id)`, so `respond()` lands in
 * `api.responses`. A `message()` event does not store the message in the fake API: use `api.addMessage` for that.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';
import type {
  BlockActionInput,
  BlockActionPayload,
  EventEnvelope,
  MessageEventInput,
  SlackEventInput,
  SlashCommandInput,
  SlashCommandPayload,
} from './slack-requests.ts';
import { createSlackPayloads } from './slack-requests.ts';

export type SocketEnvelopeType = 'slash_commands' | 'events_api' | 'interactive' | (string & {});

/** An envelope as sent over the socket. */
export interface SocketEnvelope<TPayload = unknown> {
  envelope_id: string;
  type: SocketEnvelopeType;
  payload: TPayload;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** The client's acknowledgement of an envelope, and what was delivered. */
export interface SocketAck<TSent = unknown> {
  envelope_id: string;
  /** What the client sent with its ack (@slack/socket-mode sends `{}` for a bare `ack()`). */
  payload?: unknown;
  /** The envelope's payload as delivered. */
  sent: TSent;
}

export interface SocketEventOptions {
  team_id?: string;
  event_id?: string;
  event_time?: number;
  /** Slack's redelivery count (`retry_attempt`) and reason, e.g. `timeout`. Default 0 and ''. */
  retry_attempt?: number;
  retry_reason?: string;
}

export interface FakeSlackSocketOptions {
  /** Accept only this app-level token in `apps.connections.open` (others get `invalid_auth`). Default: any `xapp-…`. */
  appToken?: string;
  /** How long the envelope senders wait for the ack. Default 3000 ms. */
  ackTimeoutMs?: number;
  /** How often each connection is pinged after the hello check. Default 5000 ms; 0: only the hello check. */
  pingIntervalMs?: number;
  /** Clock in ms for generated ts values and event_time. Default Date.now. */
  now?: () => number;
  team_id?: string;
  api_app_id?: string;
}

export interface FakeSlackSocket {
  /** `ws://127.0.0.1:PORT` (connection URLs handed out add `/link/?ticket=…&app_id=…`). */
  url: string;
  /** Connections opened so far (each got a hello). */
  readonly connections: number;
  /** Client WebSocket pings received so far (answered, or ignored on a stalled connection). */
  readonly pings: number;
  /** Every envelope delivered, in order. */
  envelopes: SocketEnvelope[];
  /** Every text frame the client sent (acks), parsed as JSON where possible. */
  received: unknown[];
  /** A client socket is open now. */
  connected(): boolean;
  /**
   * Resolve once `count` connections (default 1) have been opened and greeted, and the newest is still open and its
   * client has taken the hello (so the SocketModeClient is in its connected state, and stopping it is safe); reject
   * after `timeoutMs` (default 2000).
   */
  waitForConnection(count?: number, timeoutMs?: number): Promise<void>;
  /** Resolve once no client socket is open; reject after `timeoutMs` (default 2000). */
  waitForDisconnect(timeoutMs?: number): Promise<void>;
  /** Deliver a `slash_commands` envelope; resolves with the ack (whose payload is what `ack(…)` was given). */
  slashCommand(input: SlashCommandInput): Promise<SocketAck<SlashCommandPayload>>;
  /** Deliver an `events_api` envelope wrapping `event`. */
  event(event: SlackEventInput, options?: SocketEventOptions): Promise<SocketAck<EventEnvelope>>;
  /** A `message` event (fills in ts, event_ts, channel_type). */
  message(input: MessageEventInput, options?: SocketEventOptions): Promise<SocketAck<EventEnvelope>>;
  /** Deliver an `interactive` envelope with a `block_actions` payload. */
  blockAction(input: BlockActionInput): Promise<SocketAck<BlockActionPayload>>;
  /** Deliver any envelope (e.g. `interactive` view submissions). */
  deliver<T>(type: SocketEnvelopeType, payload: T, options?: { accepts_response_payload?: boolean }): Promise<SocketAck<T>>;
  /** Terminate the client's socket(s) abruptly: no close frame, as when the network goes away. */
  drop(): void;
  /** Ask the client to reconnect: `{type:'disconnect', reason:'refresh_requested'}`. */
  refresh(): void;
  /** Stop answering (and sending) pings on the open sockets: a silent, half-dead connection. New connections are unaffected. */
  stall(): void;
  /** A fresh, increasing Slack-style ts from the fake's clock. */
  nextTs(): string;
  /** Close every socket and the server, reject pending waits, and detach from the fake API. */
  close(): Promise<void>;
}

export async function startFakeSlackSocket(api: FakeSlackApi, options: FakeSlackSocketOptions = {}): Promise<FakeSlackSocket> {
  const now = options.now ?? Date.now;
  const ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  const teamId = options.team_id ?? 'T1';
  const appId = options.api_app_id ?? 'AAPP';

  const tickets = new Set<string>();
  const open = new Set<WebSocket>();
  const stalled = new WeakSet<WebSocket>();
  /** Open sockets whose client has answered the ping sent after the hello. */
  const ready = new WeakSet<WebSocket>();
  const pingIntervalMs = options.pingIntervalMs ?? 5000;
  const pending = new Map<string, { resolve: (ack: { envelope_id: string; payload?: unknown }) => void; reject: (err: Error) => void }>();
  const waiters = new Set<{ check: () => void; fail: (err: Error) => void }>();
  const envelopes: SocketEnvelope[] = [];
  const received: unknown[] = [];
  let connections = 0;
  let pings = 0;
  let newest: WebSocket | undefined;
  let closed = false;

  const payloads = createSlackPayloads({ now, teamId, appId, responseUrl: api.responseUrl });
  const nextTs = payloads.nextTs;
  const notify = () => {
    for (const w of [...waiters]) w.check();
  };

  const waitFor = (predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> => {
    if (predicate()) return Promise.resolve();
    if (closed) return Promise.reject(new Error(`fake Slack socket: closed while waiting for ${what()}`));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        check: () => {
          if (!predicate()) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
        },
        fail: (err: Error) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`fake Slack socket: timed out after ${timeoutMs} ms waiting for ${what()}`)),
        timeoutMs,
      );
      waiters.add(waiter);
    });
  };

  const server: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('Upgrade Required');
  });
  const wss = new WebSocketServer({ noServer: true, autoPong: false });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {
      // the client went away mid-handshake
    });
    const ticket = new URL(req.url ?? '/', 'ws://localhost').searchParams.get('ticket');
    if (closed || ticket === null || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      newest = ws;
      connections++;
      ws.on('ping', (data: Buffer) => {
        pings++;
        if (!stalled.has(ws)) ws.pong(data);
      });
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        let frame: unknown = text;
        try {
          frame = JSON.parse(text);
        } catch {
          // keep the text
        }
        received.push(frame);
        if (typeof frame === 'object' && frame !== null && 'envelope_id' in frame && typeof frame.envelope_id === 'string') {
          const waiting = pending.get(frame.envelope_id);
          pending.delete(frame.envelope_id);
          waiting?.resolve({ envelope_id: frame.envelope_id, ...('payload' in frame ? { payload: frame.payload } : {}) });
        }
        notify();
      });
      ws.on('pong', () => {
        if (ready.has(ws)) return;
        ready.add(ws);
        notify();
      });
      const pinger =
        pingIntervalMs > 0
          ? setInterval(() => {
              if (!stalled.has(ws) && ws.readyState === WebSocket.OPEN) ws.ping('fake-slack');
            }, pingIntervalMs)
          : undefined;
      ws.on('close', () => {
        clearInterval(pinger);
        open.delete(ws);
        if (newest === ws) newest = [...open].at(-1);
        notify();
      });
      ws.on('error', () => {
        // a dropped peer; 'close' follows
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: open.size,
          debug_info: { host: `fake-applink-${connections}`, build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: appId },
        }),
      );
      ws.ping('hello-check');
      notify();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}`;

  api.setConnectionsOpen((call) => {
    if (closed) return { error: 'invalid_auth' };
    const token = call.token ?? '';
    if (!token.startsWith('xapp-')) return { error: 'not_allowed_token_type' };
    if (options.appToken !== undefined && token !== options.appToken) return { error: 'invalid_auth' };
    const ticket = randomUUID();
    tickets.add(ticket);
    return { url: `${url}/link/?ticket=${ticket}&app_id=${appId}` };
  });

  const deliver = <T>(
    type: SocketEnvelopeType,
    payload: T,
    extra: { accepts_response_payload?: boolean; retry_attempt?: number; retry_reason?: string } = {},
  ): Promise<SocketAck<T>> => {
    const ws = newest;
    if (closed || ws === undefined || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`fake Slack socket: no client connected to deliver a ${type} envelope to`));
    }
    const envelope: SocketEnvelope<T> = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: extra.accepts_response_payload ?? false,
      ...(extra.retry_attempt !== undefined ? { retry_attempt: extra.retry_attempt } : {}),
      ...(extra.retry_reason !== undefined ? { retry_reason: extra.retry_reason } : {}),
    };
    envelopes.push(envelope);
    return new Promise<SocketAck<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelope.envelope_id);
        reject(new Error(`fake Slack socket: no ack for ${type} envelope ${envelope.envelope_id} within ${ackTimeoutMs} ms`));
      }, ackTimeoutMs);
      pending.set(envelope.envelope_id, {
        resolve: (ack) => {
          clearTimeout(timer);
          resolve({ ...ack, sent: payload });
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      ws.send(JSON.stringify(envelope), (err) => {
        if (!err) return;
        const waiting = pending.get(envelope.envelope_id);
        pending.delete(envelope.envelope_id);
        waiting?.reject(new Error(`fake Slack socket: could not send the ${type} envelope: ${err.message}`));
      });
    });
  };

  const event = (input: SlackEventInput, opts: SocketEventOptions = {}): Promise<SocketAck<EventEnvelope>> => {
    const payload = payloads.envelope(input, opts);
    return deliver('events_api', payload, {
      accepts_response_payload: false,
      retry_attempt: opts.retry_attempt ?? 0,
      retry_reason: opts.retry_reason ?? '',
    });
  };

  const fake: FakeSlackSocket = {
    url,
    get connections() {
      return connections;
    },
    get pings() {
      return pings;
    },
    envelopes,
    received,
    nextTs,
    connected: () => [...open].some((ws) => ws.readyState === WebSocket.OPEN),
    waitForConnection: (count = 1, timeoutMs = 2000) =>
      waitFor(
        () => connections >= count && newest !== undefined && newest.readyState === WebSocket.OPEN && ready.has(newest),
        timeoutMs,
        () => `${count} Socket Mode connection(s) (opened so far: ${connections}, open now: ${open.size})`,
      ),
    waitForDisconnect: (timeoutMs = 2000) =>
      waitFor(
        () => open.size === 0,
        timeoutMs,
        () => 'the client socket to close',
      ),

    slashCommand(input) {
      const payload = payloads.slashCommand(input);
      return deliver('slash_commands', payload, { accepts_response_payload: true });
    },

    event,

    message: (input, opts) => event(payloads.messageEvent(input), opts),

    blockAction(input) {
      const payload = payloads.blockAction(input);
      return deliver('interactive', payload, { accepts_response_payload: false });
    },

    deliver: (type, payload, opts = {}) => deliver(type, payload, opts),

    drop() {
      for (const ws of open) ws.terminate();
    },

    refresh() {
      for (const ws of open) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-applink' } }));
      }
    },

    stall() {
      for (const ws of open) stalled.add(ws);
    },

    close() {
      if (closed) return Promise.resolve();
      closed = true;
      api.setConnectionsOpen(undefined);
      tickets.clear();
      const err = new Error('fake Slack socket: closed');
      for (const [id, p] of [...pending]) {
        pending.delete(id);
        p.reject(err);
      }
      for (const w of [...waiters]) w.fail(new Error('fake Slack socket: closed while waiting'));
      for (const ws of open) ws.terminate();
      return new Promise<void>((resolve) => {
        wss.close(() => {
          server.closeAllConnections();
          server.close(() => resolve());
        });
      });
    },
  };
  return fake;
}
