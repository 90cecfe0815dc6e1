/**
 * A local stand-in for Discord that the real discord.js Client runs against: REST under `/api/v10/...` and a
 * plain-JSON gateway WebSocket, both on one 127.0.0.1 port.
 *
 *   const fake = await startFakeDiscord({ heartbeatInterval: 1000 });
 *   const client = new Client({ intents, rest: { api: fake.apiUrl } });   // apiUrl = `${fake.url}/api`
 *   await client.login('any-token');
 *
 * It behaves like Discord where a bot can get it wrong: messages are validated (empty message, 2000-char
 * content, embed and component limits, duplicate custom ids, unknown reply target), interactions can be
 * acknowledged once and only within `interactionDeadlineMs`, follow-ups need an acknowledged interaction, a
 * thread can be started from a message once (the thread takes the message's id), forum channels take posts and
 * not messages, and the gateway honours intents (no GuildMessages: no MESSAGE_CREATE; no MessageContent: other
 * users' messages arrive with empty content). The bot's own REST messages come back as MESSAGE_CREATE, as on
 * Discord (turn off with `echoBotMessages: false`). Dispatches sent while the client is away are replayed when
 * it resumes.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplication,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEmbed,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageTopLevelComponent,
  type APINewsChannel,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type ApplicationFlags,
  type ChannelFlags,
  ChannelType,
  ComponentType,
  EmbedType,
  type GatewayGuildCreateDispatchData,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  type GatewayReadyDispatchData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  InteractionResponseType,
  InteractionType,
  type Locale,
  MessageFlags,
  MessageType,
  type RoleFlags,
  type ThreadMemberFlags,
  type UserFlags,
} from 'discord.js';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

export const BOT_ID = '1100000000000000001';
export const APP_ID = '1100000000000000002';
export const GUILD_ID = '1100000000000000010';
export const TEXT_CHANNEL_ID = '1100000000000000020';
export const FORUM_CHANNEL_ID = '1100000000000000021';
export const FORUM_TAG_ID = '1100000000000000030';
/** The default human in the guild (author of user messages and invoker of interactions). */
export const USER_ID = '1100000000000000100';
export const BOT_USERNAME = 'briefbot';

/** Every permission bit below 2^50 except Administrator. */
const ALL_PERMISSIONS = (((1n << 50n) - 1n) & ~8n).toString();
const DISCORD_EPOCH = 1_420_070_400_000n;
const MAX_BUFFERED_DISPATCHES = 1000;

export type FakeChannel = APITextChannel | APINewsChannel | APIGuildForumChannel | APIThreadChannel;

export interface FakeChannelSeed {
  id: string;
  name: string;
  type: 'text' | 'announcement' | 'forum';
  topic?: string;
}

export interface FakeDiscordOptions {
  /** Sent in HELLO; the client heartbeats at this period (ms). Default 45000. */
  heartbeatInterval?: number;
  /** If set, REST calls must carry `Authorization: Bot <token>` (else 401) and IDENTIFY must use it (else close 4004). */
  token?: string;
  guildName?: string;
  /** Guild channels; default one text channel (TEXT_CHANNEL_ID, #briefs) and one forum (FORUM_CHANNEL_ID, #brief-forum). */
  channels?: FakeChannelSeed[];
  /** An interaction must get its first callback within this many ms (Discord: 3000). 0 turns the check off. */
  interactionDeadlineMs?: number;
  /** Dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own REST messages, as Discord does. Default true. */
  echoBotMessages?: boolean;
}

export interface RecordedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface RecordedCall {
  method: string;
  /** Path after `/api/v10`, without the query string, e.g. `/channels/123/messages`. */
  path: string;
  /** The request target as received, with prefix and query. */
  url: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart requests: the parsed `payload_json`), or null. */
  body: unknown;
  headers: IncomingHttpHeaders;
  files: RecordedFile[];
  /** Status the fake answered with, and the JSON it sent (undefined for an empty body). */
  status: number;
  response: unknown;
  at: number;
}

export interface FakeFailure {
  /** 429 answers like Discord's rate limiter; anything else answers `{ message, code }`. */
  status: number;
  /** Seconds (fractions allowed), for 429. Default 1. */
  retryAfter?: number;
  /** A global rate limit (X-RateLimit-Global, scope global). */
  global?: boolean;
  code?: number;
  message?: string;
  /** How many matching requests fail. Default 1. */
  times?: number;
}

export interface FakeUserInput {
  id?: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface SlashCommandInput {
  /** Default 'brief'. */
  name?: string;
  /** `{ topic: 'kursk' }` (strings, integers, numbers, booleans) or raw option payloads. */
  options?: Record<string, string | number | boolean> | APIApplicationCommandInteractionDataBasicOption[];
  subcommand?: string;
  /** Default TEXT_CHANNEL_ID. */
  channelId?: string;
  user?: FakeUserInput;
  locale?: string;
}

export interface ButtonClickInput {
  customId: string;
  /** The message carrying the button: a stored message, or ids of one (looked up in the store). */
  message: APIMessage | { id: string; channelId: string };
  user?: FakeUserInput;
}

export interface UserMessageInput {
  channelId: string;
  content: string;
  user?: FakeUserInput;
  /** Id of a message in the same channel this one replies to. */
  replyTo?: string;
}

export interface UserThreadInput {
  parentId: string;
  name: string;
  /** Start the thread from this message (the thread takes its id); otherwise a thread without a starter. */
  messageId?: string;
  /** A forum post's starter message (a forum post needs one). */
  message?: string;
  user?: FakeUserInput;
}

type GatewayReadyKind = 'ready' | 'resumed';

interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handle: (call: RecordedCall, params: string[]) => RestResult;
}

interface Failure extends FakeFailure {
  method: string;
  path: RegExp;
  remaining: number;
}

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  intents: number;
  buffer: Dispatch[];
  conn: WebSocket | null;
}

interface Connection {
  ws: WebSocket;
  session: Session | null;
  closeCode: number | null;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | null;
  user: APIUser;
  createdAt: number;
  acknowledged: boolean;
  responseType: number | null;
  originalMessageId: string | null;
  componentMessageId: string | null;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

class ApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly errors: Obj | undefined;
  constructor(status: number, code: number, message: string, errors?: Obj) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const compareIds = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
const formError = (errors: Obj) => new ApiError(400, 50035, 'Invalid Form Body', errors);

function addFormError(root: Obj, path: Array<string | number>, code: string, message: string): void {
  let node = root;
  for (const key of path) {
    const k = String(key);
    if (!isObj(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  if (!Array.isArray(node._errors)) node._errors = [];
  (node._errors as unknown[]).push({ code, message });
}

function checkLength(errors: Obj, path: Array<string | number>, value: unknown, max: number): number {
  const s = str(value);
  if (s === undefined) return 0;
  if (s.length > max) addFormError(errors, path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  return s.length;
}

function checkUrl(errors: Obj, path: Array<string | number>, value: unknown): void {
  const s = str(value);
  if (s === undefined) return;
  let ok = false;
  try {
    ok = ['http:', 'https:', 'attachment:'].includes(new URL(s).protocol);
  } catch {
    ok = false;
  }
  if (!ok) addFormError(errors, path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

/** Discord's limits on embeds (per field, 10 embeds, 6000 characters in all). */
function validateEmbeds(errors: Obj, embeds: unknown[]): void {
  if (embeds.length > 10) addFormError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((raw, i) => {
    const e = obj(raw);
    const at = (...rest: Array<string | number>) => ['embeds', i, ...rest];
    total += checkLength(errors, at('title'), e.title, 256);
    total += checkLength(errors, at('description'), e.description, 4096);
    checkUrl(errors, at('url'), e.url);
    const color = e.color;
    if (color !== undefined && color !== null && (!Number.isInteger(color) || (color as number) < 0 || (color as number) > 0xffffff)) {
      addFormError(errors, at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    if (e.timestamp !== undefined && Number.isNaN(Date.parse(str(e.timestamp) ?? ''))) {
      addFormError(errors, at('timestamp'), 'DATE_TYPE_PARSE', 'Could not parse timestamp. Should be ISO8601.');
    }
    const footer = obj(e.footer);
    total += checkLength(errors, at('footer', 'text'), footer.text, 2048);
    const author = obj(e.author);
    total += checkLength(errors, at('author', 'name'), author.name, 256);
    checkUrl(errors, at('author', 'url'), author.url);
    checkUrl(errors, at('image', 'url'), obj(e.image).url);
    checkUrl(errors, at('thumbnail', 'url'), obj(e.thumbnail).url);
    const fields = arr(e.fields);
    if (fields.length > 25) addFormError(errors, at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((rawField, j) => {
      const f = obj(rawField);
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (!str(f[key])) addFormError(errors, at('fields', j, key), 'BASE_TYPE_REQUIRED', 'This field is required');
        else total += checkLength(errors, at('fields', j, key), f[key], max);
      }
    });
  });
  if (total > 6000) addFormError(errors, ['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** Classic components: at most 5 action rows of 1..5 components; buttons need a custom_id (or a url for links). */
function validateComponents(errors: Obj, components: unknown[]): void {
  if (components.length > 5) addFormError(errors, ['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const seen = new Set<string>();
  components.forEach((rawRow, i) => {
    const row = obj(rawRow);
    if (row.type !== ComponentType.ActionRow) {
      addFormError(errors, ['components', i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1}.');
      return;
    }
    const children = arr(row.components);
    if (children.length < 1 || children.length > 5) {
      addFormError(errors, ['components', i, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    children.forEach((rawChild, j) => {
      const c = obj(rawChild);
      const at = (key: string) => ['components', i, 'components', j, key];
      const customId = str(c.custom_id);
      if (c.type === ComponentType.Button) {
        checkLength(errors, at('label'), c.label, 80);
        if (c.style === 5) {
          if (!str(c.url)) addFormError(errors, at('url'), 'BASE_TYPE_REQUIRED', 'This field is required');
          else checkUrl(errors, at('url'), c.url);
          return;
        }
        if (c.style === 6) return;
      }
      if (!customId) {
        addFormError(errors, at('custom_id'), 'BASE_TYPE_REQUIRED', 'This field is required');
        return;
      }
      checkLength(errors, at('custom_id'), customId, 100);
      if (seen.has(customId))
        addFormError(errors, at('custom_id'), 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(customId);
    });
  });
}

function hasMessageContent(b: Obj, fileCount: number): boolean {
  return (
    (str(b.content) ?? '').trim() !== '' ||
    arr(b.embeds).length > 0 ||
    arr(b.components).length > 0 ||
    arr(b.sticker_ids).length > 0 ||
    isObj(b.poll) ||
    fileCount > 0
  );
}

/** Throws Discord's 50006 / 50035 errors for a message body. */
function validateMessageBody(b: Obj, fileCount: number, requireContent = true): void {
  if (requireContent && !hasMessageContent(b, fileCount)) throw new ApiError(400, 50006, 'Cannot send an empty message');
  const errors: Obj = {};
  checkLength(errors, ['content'], b.content, 2000);
  validateEmbeds(errors, arr(b.embeds));
  const v2 = ((num(b.flags) ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  if (!v2) validateComponents(errors, arr(b.components));
  if (Object.keys(errors).length > 0) throw formError(errors);
}

function toEmbeds(v: unknown): APIEmbed[] {
  return arr(v).map((e) => ({ ...(obj(e) as APIEmbed), type: EmbedType.Rich }));
}

function makeUser(input: FakeUserInput | undefined, fallback: APIUser): APIUser {
  if (!input) return fallback;
  const id = input.id ?? fallback.id;
  const username = input.username ?? (id === fallback.id ? fallback.username : `user${id.slice(-4)}`);
  return {
    id,
    username,
    discriminator: '0',
    global_name: input.globalName === undefined ? username : input.globalName,
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
  };
}

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function writeResult(res: ServerResponse, result: RestResult): void {
  if (res.destroyed) return;
  if (result.body === undefined) {
    // No body and no content-type: discord.js parses any application/json answer, and an empty one throws.
    res.writeHead(result.status, result.headers ?? {});
    res.end();
    return;
  }
  res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
  res.end(JSON.stringify(result.body));
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly unknownCalls: RecordedCall[] = [];
  /** WebSocket connections ever opened. */
  gatewayConnections = 0;
  identifies = 0;
  /** The intents of the last IDENTIFY. */
  lastIntents: number | null = null;
  resumes = 0;
  heartbeats = 0;

  readonly #options: Required<Omit<FakeDiscordOptions, 'token' | 'channels'>> & { token: string | undefined };
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  #port = 0;
  #lastSnowflake = 0n;
  #ackHeartbeats = true;
  readonly #botUser: APIUser = {
    id: BOT_ID,
    username: BOT_USERNAME,
    discriminator: '4821',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0 as UserFlags,
  };
  readonly #defaultUser: APIUser = { id: USER_ID, username: 'analyst', discriminator: '0', global_name: 'Analyst', avatar: null };
  readonly #users = new Map<string, APIUser>();
  readonly #guildChannels: Array<APITextChannel | APINewsChannel | APIGuildForumChannel>;
  readonly #guildChannelSeeds: Array<APITextChannel | APINewsChannel | APIGuildForumChannel>;
  readonly #threads = new Map<string, APIThreadChannel>();
  readonly #messages = new Map<string, APIMessage[]>();
  readonly #interactions = new Map<string, InteractionState>();
  readonly #globalCommands = new Map<string, APIApplicationCommand>();
  readonly #guildCommands = new Map<string, Map<string, APIApplicationCommand>>();
  readonly #commandIds = new Map<string, string>();
  readonly #failures: Failure[] = [];
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  readonly #waiters = new Set<Waiter>();
  readonly #readyListeners = new Set<(kind: GatewayReadyKind) => void>();
  readonly #routes: Route[];

  constructor(options: FakeDiscordOptions = {}) {
    this.#options = {
      heartbeatInterval: options.heartbeatInterval ?? 45_000,
      token: options.token,
      guildName: options.guildName ?? 'Briefing Room',
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      echoBotMessages: options.echoBotMessages ?? true,
    };
    this.#users.set(BOT_ID, this.#botUser);
    this.#users.set(USER_ID, this.#defaultUser);
    const seeds = options.channels ?? [
      { id: TEXT_CHANNEL_ID, name: 'briefs', type: 'text', topic: 'Daily briefs' },
      { id: FORUM_CHANNEL_ID, name: 'brief-forum', type: 'forum', topic: 'One post per event' },
    ];
    this.#guildChannelSeeds = seeds.map((seed, position) => this.#makeGuildChannel(seed, position));
    this.#guildChannels = this.#guildChannelSeeds.map((c) => structuredClone(c));
    this.#server = createServer((req, res) => this.#onRequest(req, res));
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server.on('upgrade', (req, socket, head) => {
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws));
    });
    this.#routes = this.#buildRoutes();
  }

  /** @internal use startFakeDiscord() */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }
  /** For `new Client({ rest: { api: fake.apiUrl } })`. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }
  /** Gateway connections open right now that have identified or resumed. */
  get openConnections(): number {
    return [...this.#connections].filter((c) => c.session && c.ws.readyState === WebSocket.OPEN).length;
  }
  get botUser(): APIUser {
    return this.#botUser;
  }

  // ---- inspection --------------------------------------------------------------------------------------------

  callsTo(method: string, path: RegExp): RecordedCall[] {
    const m = method.toUpperCase();
    return this.calls.filter((c) => c.method === m && path.test(c.path));
  }

  /** Resolves with the `count`-th (default first) matching call, once the fake has answered it. */
  async waitForCall(method: string, path: RegExp, opts: { count?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const count = opts.count ?? 1;
    await this.#waitUntil(() => this.callsTo(method, path).length >= count, opts.timeoutMs ?? 5000, `${method} ${path}`);
    return this.callsTo(method, path)[count - 1]!;
  }

  /** Messages stored for a channel or thread, oldest first (ephemeral interaction replies included, flag 64). */
  messages(channelId: string): APIMessage[] {
    return [...(this.#messages.get(channelId) ?? [])];
  }

  channel(id: string): FakeChannel | undefined {
    return this.#threads.get(id) ?? this.#guildChannels.find((c) => c.id === id);
  }

  /** Threads (and forum posts), oldest first; optionally only those under one parent channel. */
  threads(parentId?: string): APIThreadChannel[] {
    return [...this.#threads.values()].filter((t) => parentId === undefined || t.parent_id === parentId);
  }

  /** Registered application commands: global, or for one guild. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...(guildId === undefined ? this.#globalCommands : (this.#guildCommands.get(guildId) ?? new Map())).values()];
  }

  // ---- failure injection -------------------------------------------------------------------------------------

  /** The next matching request(s) get this answer instead of being handled (and change nothing). */
  failNext(method: string, path: RegExp, failure: FakeFailure): void {
    this.#failures.push({ ...failure, method: method.toUpperCase(), path, remaining: failure.times ?? 1 });
  }

  /** Stop (or resume) answering heartbeats: the client then treats the connection as a zombie and resumes. */
  setHeartbeatAck(ack: boolean): void {
    this.#ackHeartbeats = ack;
  }

  // ---- gateway -----------------------------------------------------------------------------------------------

  /**
   * Send a dispatch to every live session (filtered by its intents); sessions whose socket dropped keep it
   * buffered for RESUME. Side effects as on Discord: INTERACTION_CREATE registers the interaction (so its token
   * works on the callback/webhook endpoints), MESSAGE_CREATE stores the message, THREAD_CREATE stores the thread.
   */
  dispatch(t: string, d: unknown): void {
    this.#absorb(t, d);
    for (const session of this.#sessions.values()) this.#sendDispatch(session, t, d);
  }

  /**
   * Close every gateway socket. 4000 (default) and most 4xxx codes make discord.js RESUME; 1000 makes it
   * IDENTIFY afresh (after its 5 s identify throttle); 1006 drops the TCP connection without a close frame.
   */
  disconnectGateway(code = 4000): void {
    for (const conn of this.#connections) {
      conn.closeCode = code;
      if (code === 1006) conn.ws.terminate();
      else conn.ws.close(code, 'fake-discord: disconnect');
    }
  }

  /** Ask connected clients to reconnect (op 7); discord.js resumes. */
  requestReconnect(): void {
    for (const conn of this.#connections) this.#send(conn.ws, { op: 7, d: null });
  }

  /** Resolves when a client next finishes IDENTIFY (READY + GUILD_CREATE sent) or RESUME (RESUMED sent). */
  nextGatewayReady(timeoutMs = 10_000): Promise<GatewayReadyKind> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#readyListeners.delete(listener);
        reject(new Error(`fake-discord: no gateway READY/RESUMED within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (kind: GatewayReadyKind) => {
        clearTimeout(timer);
        this.#readyListeners.delete(listener);
        resolve(kind);
      };
      this.#readyListeners.add(listener);
    });
  }

  // ---- payload builders (pure) and senders (build + dispatch) -------------------------------------------------

  buildSlashCommand(input: SlashCommandInput = {}): APIChatInputApplicationCommandGuildInteraction {
    const name = input.name ?? 'brief';
    const channel = this.#requireChannel(input.channelId ?? TEXT_CHANNEL_ID);
    const user = makeUser(input.user, this.#defaultUser);
    const raw = input.options ?? {};
    let options: APIApplicationCommandInteractionDataOption[] = Array.isArray(raw)
      ? raw
      : Object.entries(raw).map(([optionName, value]): APIApplicationCommandInteractionDataBasicOption => {
          if (typeof value === 'string') return { name: optionName, type: ApplicationCommandOptionType.String, value };
          if (typeof value === 'boolean') return { name: optionName, type: ApplicationCommandOptionType.Boolean, value };
          if (Number.isInteger(value)) return { name: optionName, type: ApplicationCommandOptionType.Integer, value };
          return { name: optionName, type: ApplicationCommandOptionType.Number, value };
        });
    if (input.subcommand) {
      options = [
        {
          name: input.subcommand,
          type: ApplicationCommandOptionType.Subcommand,
          options: options as APIApplicationCommandInteractionDataBasicOption[],
        },
      ];
    }
    const guildCommand = this.#guildCommands.get(GUILD_ID)?.get(name);
    const command = guildCommand ?? this.#globalCommands.get(name);
    return {
      ...this.#interactionBase(user, channel, input.locale),
      type: InteractionType.ApplicationCommand,
      data: {
        id: command?.id ?? this.#commandId(guildCommand ? GUILD_ID : 'global', name),
        name,
        type: ApplicationCommandType.ChatInput,
        options,
        ...(guildCommand ? { guild_id: GUILD_ID } : {}),
      },
    };
  }

  buildButtonClick(input: ButtonClickInput): APIMessageComponentButtonInteraction {
    const message = 'channel_id' in input.message ? input.message : this.#findOrSketchMessage(input.message.channelId, input.message.id);
    const channel = this.#requireChannel(message.channel_id);
    const user = makeUser(input.user, this.#defaultUser);
    return {
      ...this.#interactionBase(user, channel),
      type: InteractionType.MessageComponent,
      data: { custom_id: input.customId, component_type: ComponentType.Button },
      message,
    };
  }

  buildUserMessage(input: UserMessageInput): GatewayMessageCreateDispatchData {
    const channel = this.#requireChannel(input.channelId);
    const author = makeUser(input.user, this.#defaultUser);
    const id = this.snowflake();
    const reference = input.replyTo ? this.#findMessage(channel.id, input.replyTo) : undefined;
    if (input.replyTo && !reference) throw new Error(`fake-discord: no message ${input.replyTo} in ${channel.id}`);
    const mentionIds = [...input.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!);
    return {
      id,
      channel_id: channel.id,
      guild_id: GUILD_ID,
      author,
      member: {
        roles: [],
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0 as GuildMemberFlags,
        nick: null,
        premium_since: null,
      },
      content: input.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: mentionIds.map((m) => this.#users.get(m) ?? makeUser({ id: m }, this.#defaultUser)),
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: reference ? MessageType.Reply : MessageType.Default,
      flags: 0 as MessageFlags,
      ...(reference
        ? {
            message_reference: { type: 0, message_id: reference.id, channel_id: channel.id, guild_id: GUILD_ID },
            referenced_message: reference,
          }
        : {}),
      ...(channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread
        ? { position: this.messages(channel.id).length }
        : {}),
    };
  }

  sendSlashCommand(input: SlashCommandInput = {}): APIChatInputApplicationCommandGuildInteraction {
    const payload = this.buildSlashCommand(input);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  clickButton(input: ButtonClickInput): APIMessageComponentButtonInteraction {
    const payload = this.buildButtonClick(input);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  /** A human posts in a channel or thread: stored, then dispatched as MESSAGE_CREATE. */
  sendUserMessage(input: UserMessageInput): GatewayMessageCreateDispatchData {
    const payload = this.buildUserMessage(input);
    this.dispatch('MESSAGE_CREATE', payload);
    return payload;
  }

  /** A human starts a thread (from a message, or not): stored, then dispatched as THREAD_CREATE. */
  createUserThread(input: UserThreadInput): APIThreadChannel {
    const user = makeUser(input.user, this.#defaultUser);
    const thread = input.messageId
      ? this.#startThreadFromMessage(input.parentId, input.messageId, { name: input.name }, user.id)
      : this.#createThread(
          input.parentId,
          { name: input.name, type: ChannelType.PublicThread, ...(input.message ? { message: { content: input.message } } : {}) },
          user.id,
        );
    return thread;
  }

  snowflake(): string {
    let v = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    if (v <= this.#lastSnowflake) v = this.#lastSnowflake + 1n;
    this.#lastSnowflake = v;
    return v.toString();
  }

  /** Forget calls, failures, messages, threads, interactions and commands; gateway sessions and counters stay. */
  reset(): void {
    this.calls.length = 0;
    this.unknownCalls.length = 0;
    this.#failures.length = 0;
    this.#messages.clear();
    this.#threads.clear();
    this.#interactions.clear();
    this.#globalCommands.clear();
    this.#guildCommands.clear();
    this.#guildChannels.splice(0, this.#guildChannels.length, ...this.#guildChannelSeeds.map((c) => structuredClone(c)));
  }

  async close(): Promise<void> {
    for (const conn of this.#connections) conn.ws.terminate();
    this.#connections.clear();
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- gateway internals -------------------------------------------------------------------------------------

  #send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  #onConnection(ws: WebSocket): void {
    this.gatewayConnections += 1;
    const conn: Connection = { ws, session: null, closeCode: null };
    this.#connections.add(conn);
    ws.on('message', (raw: RawData) => this.#onGatewayMessage(conn, raw));
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      this.#connections.delete(conn);
      const session = conn.session;
      if (!session || session.conn !== ws) return;
      session.conn = null;
      const closedWith = conn.closeCode ?? code;
      // A normal close (client.destroy(), or the fake closing with 1000) ends the session: no RESUME after it.
      if (closedWith === 1000 || closedWith === 1001) this.#sessions.delete(session.id);
    });
    this.#send(ws, { op: 10, d: { heartbeat_interval: this.#options.heartbeatInterval } });
  }

  #onGatewayMessage(conn: Connection, raw: RawData): void {
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
        if (this.#ackHeartbeats) this.#send(conn.ws, { op: 11 });
        return;
      case 2:
        this.#identify(conn, d);
        return;
      case 6:
        this.#resume(conn, d);
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

  #identify(conn: Connection, d: Obj): void {
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated');
      return;
    }
    if (this.#options.token !== undefined && d.token !== this.#options.token) {
      conn.ws.close(4004, 'Authentication failed');
      return;
    }
    this.identifies += 1;
    this.lastIntents = num(d.intents) ?? 0;
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, intents: num(d.intents) ?? 0, buffer: [], conn: conn.ws };
    this.#sessions.set(session.id, session);
    conn.session = session;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.#botUser, verified: true, mfa_enabled: false },
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: APP_ID, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.#sendDispatch(session, 'READY', ready, true);
    this.#sendDispatch(session, 'GUILD_CREATE', this.#guildCreatePayload(), true);
    this.#emitReady('ready');
  }

  #resume(conn: Connection, d: Obj): void {
    this.resumes += 1;
    const session = this.#sessions.get(str(d.session_id) ?? '');
    const tokenOk = this.#options.token === undefined || d.token === this.#options.token;
    if (!session || !tokenOk) {
      this.#send(conn.ws, { op: 9, d: false });
      return;
    }
    session.conn = conn.ws;
    conn.session = session;
    const seq = num(d.seq) ?? 0;
    for (const p of session.buffer) if (p.s > seq) this.#send(conn.ws, p);
    this.#sendDispatch(session, 'RESUMED', {}, true);
    this.#emitReady('resumed');
  }

  #emitReady(kind: GatewayReadyKind): void {
    for (const listener of [...this.#readyListeners]) listener(kind);
  }

  #sendDispatch(session: Session, t: string, d: unknown, raw = false): void {
    const data = raw ? d : this.#filterForIntents(t, d, session.intents);
    if (data === null) return;
    session.seq += 1;
    const payload: Dispatch = { op: 0, t, s: session.seq, d: data };
    session.buffer.push(payload);
    if (session.buffer.length > MAX_BUFFERED_DISPATCHES) session.buffer.shift();
    if (session.conn) this.#send(session.conn, payload);
  }

  /** What Discord would deliver to a session with these intents: the payload, a content-less copy, or nothing. */
  #filterForIntents(t: string, d: unknown, intents: number): unknown {
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

  /** Keep the fake's state in step with a dispatch a test sends. */
  #absorb(t: string, d: unknown): void {
    const p = obj(d);
    if (t === 'INTERACTION_CREATE') {
      const id = str(p.id);
      const token = str(p.token);
      if (!id || !token) return;
      const user = (p.user ?? obj(p.member).user ?? this.#defaultUser) as APIUser;
      this.#users.set(user.id, user);
      this.#interactions.set(id, {
        id,
        token,
        type: num(p.type) ?? 0,
        channelId: str(p.channel_id) ?? str(obj(p.channel).id) ?? '',
        guildId: str(p.guild_id) ?? null,
        user,
        createdAt: Date.now(),
        acknowledged: false,
        responseType: null,
        originalMessageId: null,
        componentMessageId: str(obj(p.message).id) ?? null,
      });
    } else if (t === 'MESSAGE_CREATE') {
      const channelId = str(p.channel_id);
      const id = str(p.id);
      if (!channelId || !id || !this.channel(channelId) || this.#findMessage(channelId, id)) return;
      const { guild_id: _guild, member: _member, ...message } = p;
      this.#storeMessage(message as unknown as APIMessage);
      const author = obj(p.author);
      if (typeof author.id === 'string') this.#users.set(author.id, author as unknown as APIUser);
    } else if (t === 'THREAD_CREATE') {
      const id = str(p.id);
      if (id && !this.#threads.has(id)) this.#threads.set(id, p as unknown as APIThreadChannel);
    }
  }

  #guildCreatePayload(): GatewayGuildCreateDispatchData {
    const joinedAt = new Date(Number((BigInt(GUILD_ID) >> 22n) + DISCORD_EPOCH)).toISOString();
    const everyone: APIRole = {
      id: GUILD_ID,
      name: '@everyone',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: ALL_PERMISSIONS,
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
    const member = (user: APIUser): APIGuildMember => ({
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: [],
      joined_at: joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    });
    return {
      id: GUILD_ID,
      name: this.#options.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: USER_ID,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: [everyone],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US' as Locale,
      nsfw_level: 0,
      hub_type: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      incidents_data: null,
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [member(this.#botUser), member(this.#defaultUser)],
      channels: this.#guildChannels.map((c) => structuredClone(c)),
      threads: this.threads()
        .filter((t) => !t.thread_metadata?.archived)
        .map((t) => structuredClone(t)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- REST internals ----------------------------------------------------------------------------------------

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void this.#handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        writeResult(res, { status: 500, body: { message: `fake-discord: ${String(error)}`, code: 0 } });
      });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const prefix = '/api/v10';
    // discord.js percent-encodes segments (`%40original`, reaction emoji): route and record them decoded.
    const pathname = url.pathname.split('/').map(safeDecode).join('/');
    const versioned = pathname.startsWith(`${prefix}/`);
    const call: RecordedCall = {
      method,
      path: versioned ? pathname.slice(prefix.length) : pathname,
      url: req.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      body: null,
      headers: req.headers,
      files: [],
      status: 0,
      response: undefined,
      at: Date.now(),
    };
    let result: RestResult;
    try {
      const parsed = await parseBody(req.headers['content-type'], raw);
      call.body = parsed.body;
      call.files = parsed.files;
      result = this.#failure(call) ?? (versioned ? this.#route(call) : this.#unknown(call));
    } catch (error) {
      result =
        error instanceof SyntaxError
          ? { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } }
          : { status: 500, body: { message: `fake-discord: ${String(error)}`, code: 0 } };
    }
    call.status = result.status;
    call.response = result.body;
    this.calls.push(call);
    writeResult(res, result);
    this.#notify();
  }

  #failure(call: RecordedCall): RestResult | undefined {
    const failure = this.#failures.find((f) => f.remaining > 0 && f.method === call.method && f.path.test(call.path));
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
    if (failure.status !== 429) {
      return { status: failure.status, body: { message: failure.message ?? `${failure.status}: fake failure`, code: failure.code ?? 0 } };
    }
    const retryAfter = failure.retryAfter ?? 1;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': failure.global ? 'global' : 'user',
    };
    if (failure.global) headers['x-ratelimit-global'] = 'true';
    else {
      headers['x-ratelimit-limit'] = '5';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = String(Date.now() / 1000 + retryAfter);
      headers['x-ratelimit-reset-after'] = String(retryAfter);
      headers['x-ratelimit-bucket'] = 'fake-bucket';
    }
    return {
      status: 429,
      headers,
      body: {
        message: failure.message ?? 'You are being rate limited.',
        retry_after: retryAfter,
        global: failure.global ?? false,
        code: failure.code ?? 0,
      },
    };
  }

  #unknown(call: RecordedCall): RestResult {
    this.unknownCalls.push(call);
    return { status: 404, body: { message: 'Unknown', code: 0 } };
  }

  #route(call: RecordedCall): RestResult {
    for (const route of this.#routes) {
      if (route.method !== call.method) continue;
      const match = route.pattern.exec(call.path);
      if (!match) continue;
      if (route.auth && this.#options.token !== undefined && call.headers.authorization !== `Bot ${this.#options.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      try {
        return route.handle(call, match.slice(1));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return {
          status: error.status,
          body: { message: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) },
        };
      }
    }
    return this.#unknown(call);
  }

  #buildRoutes(): Route[] {
    const ok = (body: unknown, status = 200): RestResult => ({ status, body });
    const noContent: RestResult = { status: 204 };
    const r = (method: string, path: string, handle: Route['handle'], auth = true): Route => ({
      method,
      pattern: new RegExp(`^${path.replaceAll(':id', '(\\d+)').replaceAll(':token', '([^/]+)')}$`),
      auth,
      handle,
    });
    return [
      r('GET', '/gateway', () => ok({ url: this.gatewayUrl }), false),
      r('GET', '/gateway/bot', () =>
        ok({
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      ),
      r('GET', '/users/@me', () => ok(this.#botUser)),
      r('GET', '/users/:id', (_c, [id]) => ok(this.#users.get(id!) ?? this.#throw(new ApiError(404, 10013, 'Unknown User')))),
      r('GET', '/applications/@me', () => ok(this.#application())),
      r('GET', '/oauth2/applications/@me', () => ok(this.#application())),
      r('GET', '/guilds/:id', (_c, [id]) => {
        this.#requireGuild(id!);
        const { channels: _c2, threads: _t, members: _m, voice_states: _v, presences: _p, ...guild } = this.#guildCreatePayload();
        return ok(guild);
      }),
      r('GET', '/guilds/:id/channels', (_c, [id]) => {
        this.#requireGuild(id!);
        return ok(this.#guildChannels.map((c) => structuredClone(c)));
      }),
      r('GET', '/guilds/:id/threads/active', (_c, [id]) => {
        this.#requireGuild(id!);
        return ok({ threads: this.threads().filter((t) => !t.thread_metadata?.archived), members: [] });
      }),
      r('GET', '/guilds/:id/members/:id', (_c, [id, userId]) => {
        this.#requireGuild(id!);
        const member = this.#guildCreatePayload().members.find((m) => m.user.id === userId);
        return member ? ok(member) : this.#throw(new ApiError(404, 10007, 'Unknown Member'));
      }),
      r('GET', '/channels/:id', (_c, [id]) => ok(this.#requireChannel(id!))),
      r('PATCH', '/channels/:id', (c, [id]) => ok(this.#patchChannel(id!, obj(c.body)))),
      r('GET', '/channels/:id/messages', (c, [id]) => ok(this.#listMessages(id!, c.query))),
      r('POST', '/channels/:id/messages', (c, [id]) => ok(this.#createBotMessage(id!, obj(c.body), c.files.length))),
      r('GET', '/channels/:id/messages/:id', (_c, [id, mid]) => ok(this.#findMessage(id!, mid!) ?? this.#throw(unknownMessage()))),
      r('PATCH', '/channels/:id/messages/:id', (c, [id, mid]) => ok(this.#editMessage(id!, mid!, obj(c.body), true))),
      r('DELETE', '/channels/:id/messages/:id', (_c, [id, mid]) => {
        this.#deleteMessage(id!, mid!);
        return noContent;
      }),
      r('POST', '/channels/:id/messages/:id/threads', (c, [id, mid]) =>
        ok(this.#startThreadFromMessage(id!, mid!, obj(c.body), BOT_ID), 201),
      ),
      r('POST', '/channels/:id/threads', (c, [id]) => ok(this.#createThread(id!, obj(c.body), BOT_ID, c.files.length), 201)),
      r('POST', '/channels/:id/typing', (_c, [id]) => {
        this.#requireChannel(id!);
        return noContent;
      }),
      r('PUT', '/channels/:id/messages/:id/reactions/:token/@me', (_c, [id, mid]) => {
        if (!this.#findMessage(id!, mid!)) throw unknownMessage();
        return noContent;
      }),
      r('DELETE', '/channels/:id/messages/:id/reactions/:token/@me', () => noContent),
      r('POST', '/interactions/:id/:token/callback', (c, [id, token]) => this.#interactionCallback(id!, token!, obj(c.body), c), false),
      r('POST', '/webhooks/:id/:token', (c, [appId, token]) => ok(this.#followUp(appId!, token!, obj(c.body), c.files.length)), false),
      r(
        'GET',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (_c, [appId, token, mid]) => ok(this.#webhookMessage(appId!, token!, mid!)),
        false,
      ),
      r(
        'PATCH',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (c, [appId, token, mid]) => {
          const message = this.#webhookMessage(appId!, token!, mid!);
          return ok(this.#editMessage(message.channel_id, message.id, obj(c.body), false));
        },
        false,
      ),
      r(
        'DELETE',
        '/webhooks/:id/:token/messages/(@original|\\d+)',
        (_c, [appId, token, mid]) => {
          const message = this.#webhookMessage(appId!, token!, mid!);
          this.#deleteMessage(message.channel_id, message.id);
          return noContent;
        },
        false,
      ),
      r('GET', '/applications/:id/commands', (_c, [appId]) => ok([...this.#commandStore(appId!).values()])),
      r('PUT', '/applications/:id/commands', (c, [appId]) => ok(this.#putCommands(appId!, null, c.body))),
      r('POST', '/applications/:id/commands', (c, [appId]) => ok(this.#upsertCommand(appId!, null, obj(c.body)), 201)),
      r('GET', '/applications/:id/guilds/:id/commands', (_c, [appId, gid]) => ok([...this.#commandStore(appId!, gid!).values()])),
      r('PUT', '/applications/:id/guilds/:id/commands', (c, [appId, gid]) => ok(this.#putCommands(appId!, gid!, c.body))),
      r('POST', '/applications/:id/guilds/:id/commands', (c, [appId, gid]) => ok(this.#upsertCommand(appId!, gid!, obj(c.body)), 201)),
    ];
  }

  #throw(error: ApiError): never {
    throw error;
  }

  #application(): APIApplication {
    return {
      id: APP_ID,
      name: BOT_USERNAME,
      icon: null,
      description: 'Fake briefbot application',
      bot_public: false,
      bot_require_code_grant: false,
      bot: this.#botUser,
      verify_key: '0'.repeat(64),
      team: null,
      owner: this.#defaultUser,
      flags: 0 as ApplicationFlags,
      flags_new: '0',
      summary: '',
    };
  }

  #requireGuild(id: string): void {
    if (id !== GUILD_ID) throw new ApiError(404, 10004, 'Unknown Guild');
  }

  #requireChannel(id: string): FakeChannel {
    const channel = this.channel(id);
    if (!channel) throw unknownChannel();
    return channel;
  }

  #makeGuildChannel(seed: FakeChannelSeed, position: number): APITextChannel | APINewsChannel | APIGuildForumChannel {
    const common = {
      id: seed.id,
      guild_id: GUILD_ID,
      name: seed.name,
      position,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: seed.topic ?? null,
      last_message_id: null,
      rate_limit_per_user: 0,
      default_auto_archive_duration: 1440 as const,
      default_thread_rate_limit_per_user: 0,
      last_pin_timestamp: null,
      flags: 0 as ChannelFlags,
    };
    if (seed.type === 'forum') {
      return {
        ...common,
        type: ChannelType.GuildForum,
        available_tags: [{ id: FORUM_TAG_ID, name: 'brief', moderated: false, emoji_id: null, emoji_name: null }],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: 0,
      };
    }
    if (seed.type === 'announcement') return { ...common, type: ChannelType.GuildAnnouncement };
    return { ...common, type: ChannelType.GuildText };
  }

  #patchChannel(id: string, b: Obj): FakeChannel {
    const channel = this.#requireChannel(id);
    if (typeof b.name === 'string') channel.name = b.name;
    const thread = this.#threads.get(id);
    if (thread?.thread_metadata) {
      if (typeof b.archived === 'boolean') {
        thread.thread_metadata.archived = b.archived;
        thread.thread_metadata.archive_timestamp = new Date().toISOString();
      }
      if (typeof b.locked === 'boolean') thread.thread_metadata.locked = b.locked;
      if (Array.isArray(b.applied_tags)) thread.applied_tags = b.applied_tags.filter((t): t is string => typeof t === 'string');
    }
    this.#echo(thread ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', channel);
    return channel;
  }

  // ---- messages ----------------------------------------------------------------------------------------------

  #findMessage(channelId: string, id: string): APIMessage | undefined {
    return this.#messages.get(channelId)?.find((m) => m.id === id);
  }

  #findOrSketchMessage(channelId: string, id: string): APIMessage {
    const found = this.#findMessage(channelId, id);
    if (found) return found;
    return this.#newMessage(channelId, { content: '' }, { id, author: this.#botUser });
  }

  #storeMessage(message: APIMessage): void {
    const list = this.#messages.get(message.channel_id) ?? [];
    list.push(message);
    list.sort((a, b) => compareIds(a.id, b.id));
    this.#messages.set(message.channel_id, list);
    const channel = this.channel(message.channel_id);
    if (!channel) return;
    if ('last_message_id' in channel) channel.last_message_id = message.id;
    const thread = this.#threads.get(message.channel_id);
    if (thread) {
      thread.message_count = (thread.message_count ?? 0) + 1;
      thread.total_message_sent = (thread.total_message_sent ?? 0) + 1;
    }
  }

  #listMessages(channelId: string, query: Record<string, string>): APIMessage[] {
    const channel = this.#requireChannel(channelId);
    if (channel.type === ChannelType.GuildForum) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
    const visible = this.messages(channelId).filter((m) => ((m.flags ?? 0) & MessageFlags.Ephemeral) === 0);
    let window: APIMessage[];
    if (query.after) window = visible.filter((m) => compareIds(m.id, query.after!) > 0).slice(0, limit);
    else if (query.before) window = visible.filter((m) => compareIds(m.id, query.before!) < 0).slice(-limit);
    else if (query.around) {
      const idx = visible.findIndex((m) => compareIds(m.id, query.around!) >= 0);
      const start = Math.max(0, (idx === -1 ? visible.length : idx) - Math.floor(limit / 2));
      window = visible.slice(start, start + limit);
    } else window = visible.slice(-limit);
    return window.reverse();
  }

  /** Turn a message body into a stored-shape message (not stored); validates the reply target. */
  #newMessage(channelId: string, b: Obj, extra: Partial<APIMessage> = {}): APIMessage {
    const content = str(b.content) ?? '';
    const reference = obj(b.message_reference);
    const refId = str(reference.message_id);
    let referenced: APIMessage | undefined;
    if (refId) {
      const refChannel = str(reference.channel_id) ?? channelId;
      referenced = this.#findMessage(refChannel, refId);
      if (!referenced && reference.fail_if_not_exists !== false) {
        const errors: Obj = {};
        addFormError(errors, ['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        throw formError(errors);
      }
    }
    const mentions = this.#resolveMentions(content, b.allowed_mentions, referenced);
    const thread = this.#threads.get(channelId);
    return {
      id: this.snowflake(),
      channel_id: channelId,
      author: this.#botUser,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: b.tts === true,
      ...mentions,
      attachments: [],
      embeds: toEmbeds(b.embeds),
      components: arr(b.components) as APIMessageTopLevelComponent[],
      pinned: false,
      type: referenced ? MessageType.Reply : MessageType.Default,
      flags: (num(b.flags) ?? 0) & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2),
      ...(b.nonce !== undefined ? { nonce: b.nonce as string | number } : {}),
      ...(referenced
        ? {
            message_reference: { type: 0, message_id: referenced.id, channel_id: referenced.channel_id, guild_id: GUILD_ID },
            referenced_message: referenced,
          }
        : {}),
      ...(thread ? { position: this.messages(channelId).length } : {}),
      ...extra,
    };
  }

  /** Who the message pings, after allowed_mentions (absent: everything in the content is allowed). */
  #resolveMentions(content: string, allowedRaw: unknown, referenced: APIMessage | undefined) {
    const allowed = isObj(allowedRaw) ? allowedRaw : undefined;
    const parse = allowed ? arr(allowed.parse) : ['users', 'roles', 'everyone'];
    const users = allowed ? arr(allowed.users) : [];
    const roles = allowed ? arr(allowed.roles) : [];
    const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!).filter((id) => parse.includes('users') || users.includes(id));
    if (referenced && (allowed ? allowed.replied_user === true : true)) userIds.push(referenced.author.id);
    return {
      mentions: [...new Set(userIds)].map((id) => this.#users.get(id) ?? makeUser({ id }, this.#defaultUser)),
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!).filter((id) => parse.includes('roles') || roles.includes(id)),
      mention_everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone'),
    };
  }

  #createBotMessage(channelId: string, b: Obj, fileCount: number): APIMessage {
    const channel = this.#requireChannel(channelId);
    if (channel.type === ChannelType.GuildForum) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    if ('thread_metadata' in channel && channel.thread_metadata?.locked) throw new ApiError(400, 50083, 'Thread is archived');
    validateMessageBody(b, fileCount);
    const message = this.#newMessage(channelId, b);
    if ('thread_metadata' in channel && channel.thread_metadata?.archived) channel.thread_metadata.archived = false;
    this.#storeMessage(message);
    this.#echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  #editMessage(channelId: string, id: string, b: Obj, mustBeBot: boolean): APIMessage {
    this.#requireChannel(channelId);
    const message = this.#findMessage(channelId, id);
    if (!message) throw unknownMessage();
    if (mustBeBot && message.author.id !== BOT_ID) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
    validateMessageBody(b, 0, false);
    const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
    const content = typeof b.content === 'string' || b.content === null ? (str(b.content) ?? '') : message.content;
    const embeds = 'embeds' in b ? toEmbeds(b.embeds) : message.embeds;
    const components = 'components' in b ? (arr(b.components) as APIMessageTopLevelComponent[]) : (message.components ?? []);
    if (!hasMessageContent({ content, embeds, components }, message.attachments.length)) {
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    }
    if ('allowed_mentions' in b || content !== message.content) {
      Object.assign(message, this.#resolveMentions(content, b.allowed_mentions, undefined));
    }
    Object.assign(message, { content, embeds, components });
    message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    if (!wasLoading) message.edited_timestamp = new Date().toISOString();
    this.#echo('MESSAGE_UPDATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  #deleteMessage(channelId: string, id: string): void {
    const list = this.#messages.get(channelId);
    const idx = list?.findIndex((m) => m.id === id) ?? -1;
    if (!list || idx === -1) throw unknownMessage();
    list.splice(idx, 1);
    this.#echo('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: GUILD_ID });
  }

  /** Dispatch an event caused by the bot's own REST call, if `echoBotMessages` (threads and channels: always). */
  #echo(t: string, d: unknown): void {
    if (t.startsWith('MESSAGE_') && !this.#options.echoBotMessages) return;
    for (const session of this.#sessions.values()) this.#sendDispatch(session, t, d);
  }

  // ---- threads -----------------------------------------------------------------------------------------------

  #newThread(
    id: string,
    parent: FakeChannel,
    name: string,
    type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread,
    ownerId: string,
    b: Obj,
  ): APIThreadChannel {
    const now = new Date().toISOString();
    const duration = num(b.auto_archive_duration);
    return {
      id,
      type,
      guild_id: GUILD_ID,
      parent_id: parent.id,
      owner_id: ownerId,
      name,
      last_message_id: null,
      rate_limit_per_user: num(b.rate_limit_per_user) ?? 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0 as ChannelFlags,
      applied_tags: arr(b.applied_tags).filter((t): t is string => typeof t === 'string'),
      thread_metadata: {
        archived: false,
        auto_archive_duration: duration === 60 || duration === 4320 || duration === 10080 ? duration : 1440,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === ChannelType.PrivateThread ? { invitable: b.invitable !== false } : {}),
      },
      // Only the creating user gets its thread member in the payload; the bot sees it when it created the thread.
      ...(ownerId === BOT_ID ? { member: { id, user_id: ownerId, join_timestamp: now, flags: 0 as ThreadMemberFlags } } : {}),
    };
  }

  #threadName(b: Obj): string {
    const name = str(b.name) ?? '';
    if (name.length < 1 || name.length > 100) {
      const errors: Obj = {};
      addFormError(errors, ['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      throw formError(errors);
    }
    return name;
  }

  #startThreadFromMessage(channelId: string, messageId: string, b: Obj, ownerId: string): APIThreadChannel {
    const parent = this.#requireChannel(channelId);
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const message = this.#findMessage(channelId, messageId);
    if (!message) throw unknownMessage();
    if (message.thread || this.#threads.has(messageId))
      throw new ApiError(400, 160004, 'A thread has already been created for this message');
    const name = this.#threadName(b);
    const type = parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    const thread = this.#newThread(messageId, parent, name, type, ownerId, b);
    this.#threads.set(thread.id, thread);
    message.thread = thread;
    message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
    this.#echo('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  /** POST /channels/:id/threads: a forum post (with its starter message) or a thread without a starter message. */
  #createThread(channelId: string, b: Obj, ownerId: string, fileCount = 0): APIThreadChannel {
    const parent = this.#requireChannel(channelId);
    const name = this.#threadName(b);
    if (parent.type === ChannelType.GuildForum) {
      if (!isObj(b.message)) {
        const errors: Obj = {};
        addFormError(errors, ['message'], 'BASE_TYPE_REQUIRED', 'This field is required');
        throw formError(errors);
      }
      const tags = arr(b.applied_tags);
      const known = new Set(parent.available_tags.map((t) => t.id));
      if (tags.some((t) => typeof t !== 'string' || !known.has(t))) {
        const errors: Obj = {};
        addFormError(errors, ['applied_tags'], 'INVALID_TAG', 'Unknown tag');
        throw formError(errors);
      }
      validateMessageBody(b.message, fileCount);
      const id = this.snowflake();
      const thread = this.#newThread(id, parent, name, ChannelType.PublicThread, ownerId, b);
      this.#threads.set(id, thread);
      const starter = this.#newMessage(id, b.message, { id, position: 0, author: this.#users.get(ownerId) ?? this.#botUser });
      this.#storeMessage(starter);
      parent.last_message_id = id;
      this.#echo('THREAD_CREATE', { ...thread, newly_created: true });
      this.#echo('MESSAGE_CREATE', { ...starter, guild_id: GUILD_ID });
      return { ...thread, message: starter } as APIThreadChannel;
    }
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const requested = num(b.type) ?? ChannelType.PrivateThread;
    const type =
      parent.type === ChannelType.GuildAnnouncement
        ? ChannelType.AnnouncementThread
        : requested === ChannelType.PublicThread
          ? ChannelType.PublicThread
          : ChannelType.PrivateThread;
    const thread = this.#newThread(this.snowflake(), parent, name, type, ownerId, b);
    this.#threads.set(thread.id, thread);
    this.#echo('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  // ---- interactions ------------------------------------------------------------------------------------------

  #interactionBase(user: APIUser, channel: FakeChannel, locale = 'en-US') {
    const member: APIInteractionGuildMember = {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles: [],
      joined_at: new Date(0).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
      permissions: ALL_PERMISSIONS,
    };
    return {
      id: this.snowflake(),
      application_id: APP_ID,
      token: `fake-interaction-token-${randomBytes(12).toString('hex')}`,
      version: 1 as const,
      guild_id: GUILD_ID,
      guild: { id: GUILD_ID, locale: 'en-US' as Locale, features: [] },
      channel: structuredClone(channel),
      channel_id: channel.id,
      member,
      app_permissions: ALL_PERMISSIONS,
      locale: locale as Locale,
      guild_locale: 'en-US' as Locale,
      entitlements: [],
      authorizing_integration_owners: { '0': GUILD_ID },
      context: 0 as const,
      attachment_size_limit: 10_485_760,
    };
  }

  #interaction(id: string, token: string): InteractionState {
    const state = this.#interactions.get(id);
    if (!state || state.token !== token) throw unknownInteraction();
    return state;
  }

  #interactionByToken(appId: string, token: string): InteractionState {
    if (appId !== APP_ID) throw unknownWebhook();
    for (const state of this.#interactions.values()) if (state.token === token) return state;
    throw unknownWebhook();
  }

  #interactionMessage(state: InteractionState, b: Obj, loading: boolean): APIMessage {
    const ephemeral = ((num(b.flags) ?? 0) & MessageFlags.Ephemeral) !== 0;
    const message = this.#newMessage(state.channelId, loading ? {} : b, {
      webhook_id: APP_ID,
      application_id: APP_ID,
      type: state.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      interaction_metadata:
        state.type === InteractionType.MessageComponent
          ? {
              id: state.id,
              type: InteractionType.MessageComponent,
              user: state.user,
              authorizing_integration_owners: { '0': GUILD_ID },
              interacted_message_id: state.componentMessageId ?? '0',
            }
          : { id: state.id, type: InteractionType.ApplicationCommand, user: state.user, authorizing_integration_owners: { '0': GUILD_ID } },
    });
    message.flags = (message.flags ?? 0) | (ephemeral ? MessageFlags.Ephemeral : 0) | (loading ? MessageFlags.Loading : 0);
    return message;
  }

  #interactionCallback(id: string, token: string, b: Obj, call: RecordedCall): RestResult {
    const state = this.#interaction(id, token);
    if (state.acknowledged) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const deadline = this.#options.interactionDeadlineMs;
    if (deadline > 0 && Date.now() - state.createdAt > deadline) throw unknownInteraction();
    const data = obj(b.data);
    const isComponent = state.type === InteractionType.MessageComponent || state.type === InteractionType.ModalSubmit;
    let message: APIMessage | undefined;
    switch (b.type) {
      case InteractionResponseType.ChannelMessageWithSource:
        validateMessageBody(data, call.files.length);
        message = this.#interactionMessage(state, data, false);
        this.#storeMessage(message);
        state.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        message = this.#interactionMessage(state, data, true);
        this.#storeMessage(message);
        state.originalMessageId = message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        if (!isComponent || !state.componentMessageId)
          throw new ApiError(400, 40043, 'This interaction type does not support this response type');
        state.originalMessageId = state.componentMessageId;
        if (b.type === InteractionResponseType.UpdateMessage)
          message = this.#editMessage(state.channelId, state.componentMessageId, data, false);
        break;
      case InteractionResponseType.Modal:
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
      case InteractionResponseType.Pong:
      case InteractionResponseType.LaunchActivity:
        break;
      default: {
        const errors: Obj = {};
        addFormError(errors, ['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.');
        throw formError(errors);
      }
    }
    state.acknowledged = true;
    state.responseType = num(b.type) ?? null;
    if (message && message.channel_id === state.channelId && !((message.flags ?? 0) & MessageFlags.Ephemeral)) {
      if (b.type !== InteractionResponseType.UpdateMessage) this.#echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    }
    if (call.query.with_response !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: state.id,
          type: state.type,
          response_message_id: state.originalMessageId ?? undefined,
          response_message_loading: b.type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type: b.type, ...(message ? { message } : {}) },
      },
    };
  }

  #followUp(appId: string, token: string, b: Obj, fileCount: number): APIMessage {
    const state = this.#interactionByToken(appId, token);
    if (!state.acknowledged) throw unknownWebhook();
    validateMessageBody(b, fileCount);
    const message = this.#interactionMessage(state, b, false);
    this.#storeMessage(message);
    if (!((message.flags ?? 0) & MessageFlags.Ephemeral)) this.#echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  #webhookMessage(appId: string, token: string, mid: string): APIMessage {
    const state = this.#interactionByToken(appId, token);
    const id = mid === '@original' ? state.originalMessageId : mid;
    const message = id ? this.#findMessage(state.channelId, id) : undefined;
    if (!message) throw unknownMessage();
    return message;
  }

  // ---- commands ----------------------------------------------------------------------------------------------

  #commandId(scope: string, name: string): string {
    const key = `${scope}:${name}`;
    let id = this.#commandIds.get(key);
    if (!id) {
      id = this.snowflake();
      this.#commandIds.set(key, id);
    }
    return id;
  }

  #commandStore(appId: string, guildId?: string): Map<string, APIApplicationCommand> {
    if (appId !== APP_ID) throw new ApiError(403, 50001, 'Missing Access');
    if (guildId === undefined) return this.#globalCommands;
    if (guildId !== GUILD_ID) throw new ApiError(403, 50001, 'Missing Access');
    let store = this.#guildCommands.get(guildId);
    if (!store) {
      store = new Map();
      this.#guildCommands.set(guildId, store);
    }
    return store;
  }

  #toCommand(guildId: string | null, b: Obj, index: number, errors: Obj): APIApplicationCommand {
    const name = str(b.name) ?? '';
    const type = num(b.type) ?? ApplicationCommandType.ChatInput;
    if (type === ApplicationCommandType.ChatInput && !/^[-_\p{L}\p{N}]{1,32}$/u.test(name)) {
      addFormError(errors, [index, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = str(b.description) ?? '';
    if (type === ApplicationCommandType.ChatInput && (description.length < 1 || description.length > 100)) {
      addFormError(errors, [index, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    return {
      ...(b as Partial<APIApplicationCommand>),
      id: this.#commandId(guildId ?? 'global', name),
      application_id: APP_ID,
      ...(guildId ? { guild_id: guildId } : {}),
      name,
      description,
      type,
      version: this.snowflake(),
      default_member_permissions: str(b.default_member_permissions) ?? null,
      nsfw: b.nsfw === true,
    } as APIApplicationCommand;
  }

  #putCommands(appId: string, guildId: string | null, body: unknown): APIApplicationCommand[] {
    const store = this.#commandStore(appId, guildId ?? undefined);
    if (!Array.isArray(body)) throw formError({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
    const errors: Obj = {};
    const commands = body.map((c, i) => this.#toCommand(guildId, obj(c), i, errors));
    if (Object.keys(errors).length > 0) throw formError(errors);
    store.clear();
    for (const command of commands) store.set(command.name, command);
    return commands;
  }

  #upsertCommand(appId: string, guildId: string | null, b: Obj): APIApplicationCommand {
    const store = this.#commandStore(appId, guildId ?? undefined);
    const errors: Obj = {};
    const command = this.#toCommand(guildId, b, 0, errors);
    if (Object.keys(errors).length > 0) throw formError(errors);
    store.set(command.name, command);
    return command;
  }

  // ---- waiting -----------------------------------------------------------------------------------------------

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.check()) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  #waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
