/**
 * @module The fake Discord's gateway: a plain-JSON WebSocket that says HELLO, takes IDENTIFY (READY and
 * GUILD_CREATE) and RESUME (replaying what a session missed), answers heartbeats, and sends dispatches filtered by
 * each session's intents (no GuildMessages: no MESSAGE_CREATE; no MessageContent: other users' messages arrive
 * without content).
 */

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ApplicationFlags, GatewayIntentBits, type GatewayReadyDispatchData } from 'discord.js';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { DiscordState } from './state.ts';
import {
  APP_ID,
  BOT_ID,
  type Connection,
  type Dispatch,
  type GatewayReadyKind,
  GUILD_ID,
  MAX_BUFFERED_DISPATCHES,
  type Session,
} from './types.ts';
import { arr, num, type Obj, obj, str } from './validate.ts';

export class DiscordGateway {
  /** WebSocket connections ever opened. */
  gatewayConnections = 0;
  identifies = 0;
  /** The intents of the last IDENTIFY. */
  lastIntents: number | null = null;
  resumes = 0;
  heartbeats = 0;
  ackHeartbeats = true;
  readonly sessions = new Map<string, Session>();
  readonly connections = new Set<Connection>();
  readonly readyListeners = new Set<(kind: GatewayReadyKind) => void>();
  readonly wss = new WebSocketServer({ noServer: true });
  readonly state: DiscordState;
  readonly #gatewayUrl: () => string;

  constructor(state: DiscordState, gatewayUrl: () => string) {
    this.state = state;
    this.#gatewayUrl = gatewayUrl;
    state.broadcast = (t, d) => this.broadcast(t, d);
  }

  /** Hands an HTTP upgrade request to the gateway. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  /** Sends a dispatch to every session, without changing the fake's state (it has changed already). */
  broadcast(t: string, d: unknown): void {
    for (const session of this.sessions.values()) this.sendDispatch(session, t, d);
  }

  async close(): Promise<void> {
    for (const conn of this.connections) conn.ws.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Gateway connections open right now that have identified or resumed. */
  get openConnections(): number {
    return [...this.connections].filter((c) => c.session && c.ws.readyState === WebSocket.OPEN).length;
  }

  /** Stop (or resume) answering heartbeats: the client then treats the connection as a zombie and resumes. */
  setHeartbeatAck(ack: boolean): void {
    this.ackHeartbeats = ack;
  }

  /**
   * Send a dispatch to every live session (filtered by its intents); sessions whose socket dropped keep it
   * buffered for RESUME. Side effects as on Discord: INTERACTION_CREATE registers the interaction (so its token
   * works on the callback/webhook endpoints), MESSAGE_CREATE stores the message, THREAD_CREATE stores the thread.
   */
  dispatch(t: string, d: unknown): void {
    this.state.absorb(t, d);
    for (const session of this.sessions.values()) this.sendDispatch(session, t, d);
  }

  /**
   * Close every gateway socket. 4000 (default) and most 4xxx codes make discord.js RESUME; 1000 makes it
   * IDENTIFY afresh (after its 5 s identify throttle); 1006 drops the TCP connection without a close frame.
   */
  disconnectGateway(code = 4000): void {
    for (const conn of this.connections) {
      conn.closeCode = code;
      if (code === 1006) conn.ws.terminate();
      else conn.ws.close(code, 'fake-discord: disconnect');
    }
  }

  /** Ask connected clients to reconnect (op 7); discord.js resumes. */
  requestReconnect(): void {
    for (const conn of this.connections) this.send(conn.ws, { op: 7, d: null });
  }

  /** Resolves when a client next finishes IDENTIFY (READY + GUILD_CREATE sent) or RESUME (RESUMED sent). */
  nextGatewayReady(timeoutMs = 10_000): Promise<GatewayReadyKind> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyListeners.delete(listener);
        reject(new Error(`fake-discord: no gateway READY/RESUMED within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (kind: GatewayReadyKind) => {
        clearTimeout(timer);
        this.readyListeners.delete(listener);
        resolve(kind);
      };
      this.readyListeners.add(listener);
    });
  }

  send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  onConnection(ws: WebSocket): void {
    this.gatewayConnections += 1;
    const conn: Connection = { ws, session: null, closeCode: null };
    this.connections.add(conn);
    ws.on('message', (raw: RawData) => this.onGatewayMessage(conn, raw));
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      this.connections.delete(conn);
      const session = conn.session;
      if (!session || session.conn !== ws) return;
      session.conn = null;
      const closedWith = conn.closeCode ?? code;
      // A normal close (client.destroy(), or the fake closing with 1000) ends the session: no RESUME after it.
      if (closedWith === 1000 || closedWith === 1001) this.sessions.delete(session.id);
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.state.options.heartbeatInterval } });
  }

  onGatewayMessage(conn: Connection, raw: RawData): void {
    let payload: Obj;
    try {
      payload = obj(JSON.parse(raw.toString()));
    } catch {
      conn.ws.close(4002, 'Decode error');
      return;
    }
    const d = obj(payload.d);
    switch (payload.op) {
      case 1:
        this.heartbeats += 1;
        if (this.ackHeartbeats) this.send(conn.ws, { op: 11 });
        return;
      case 2:
        this.identify(conn, d);
        return;
      case 6:
        this.resume(conn, d);
        return;
      case 3:
      case 4:
      case 8:
        if (!conn.session) conn.ws.close(4003, 'Not authenticated');
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode');
    }
  }

  identify(conn: Connection, d: Obj): void {
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated');
      return;
    }
    if (this.state.options.token !== undefined && d.token !== this.state.options.token) {
      conn.ws.close(4004, 'Authentication failed');
      return;
    }
    this.identifies += 1;
    this.lastIntents = num(d.intents) ?? 0;
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, intents: num(d.intents) ?? 0, buffer: [], conn: conn.ws };
    this.sessions.set(session.id, session);
    conn.session = session;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.state.botUser, verified: true, mfa_enabled: false },
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: this.#gatewayUrl(),
      shard: [0, 1],
      application: { id: APP_ID, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.sendDispatch(session, 'READY', ready, true);
    this.sendDispatch(session, 'GUILD_CREATE', this.state.guild(), true);
    this.emitReady('ready');
  }

  resume(conn: Connection, d: Obj): void {
    this.resumes += 1;
    const session = this.sessions.get(str(d.session_id) ?? '');
    const tokenOk = this.state.options.token === undefined || d.token === this.state.options.token;
    if (!session || !tokenOk) {
      this.send(conn.ws, { op: 9, d: false });
      return;
    }
    session.conn = conn.ws;
    conn.session = session;
    const seq = num(d.seq) ?? 0;
    for (const p of session.buffer) if (p.s > seq) this.send(conn.ws, p);
    this.sendDispatch(session, 'RESUMED', {}, true);
    this.emitReady('resumed');
  }

  emitReady(kind: GatewayReadyKind): void {
    for (const listener of [...this.readyListeners]) listener(kind);
  }

  sendDispatch(session: Session, t: string, d: unknown, raw = false): void {
    const data = raw ? d : this.filterForIntents(t, d, session.intents);
    if (data === null) return;
    session.seq += 1;
    const payload: Dispatch = { op: 0, t, s: session.seq, d: data };
    session.buffer.push(payload);
    if (session.buffer.length > MAX_BUFFERED_DISPATCHES) session.buffer.shift();
    if (session.conn) this.send(session.conn, payload);
  }

  /** What Discord would deliver to a session with these intents: the payload, a content-less copy, or nothing. */
  filterForIntents(t: string, d: unknown, intents: number): unknown {
    const has = (bit: number) => (intents & bit) !== 0;
    if (/^(GUILD_(CREATE|UPDATE|DELETE)|GUILD_ROLE_|CHANNEL_|THREAD_)/.test(t) && !has(GatewayIntentBits.Guilds)) return null;
    if (t.startsWith('MESSAGE_REACTION_')) return has(GatewayIntentBits.GuildMessageReactions) ? d : null;
    if (!t.startsWith('MESSAGE_')) return d;
    const m = obj(d);
    const inGuild = typeof m.guild_id === 'string';
    if (!has(inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages)) return null;
    if (has(GatewayIntentBits.MessageContent) || !inGuild || !('content' in m)) return d;
    const author = obj(m.author);
    const mentionsBot = arr(m.mentions).some((u) => obj(u).id === BOT_ID);
    if (author.id === BOT_ID || mentionsBot) return d;
    return { ...m, content: '', embeds: [], attachments: [], components: [], poll: undefined };
  }
}
