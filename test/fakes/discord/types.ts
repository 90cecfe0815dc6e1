/**
 * @module The fake Discord's ids, options and recorded shapes (what tests import), and the internal records its
 * REST side, gateway and state share.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type {
  APIApplicationCommandInteractionDataBasicOption,
  APIGuildForumChannel,
  APIMessage,
  APINewsChannel,
  APITextChannel,
  APIThreadChannel,
  APIUser,
} from 'discord.js';
import type { WebSocket } from 'ws';

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
export const ALL_PERMISSIONS = (((1n << 50n) - 1n) & ~8n).toString();
export const DISCORD_EPOCH = 1_420_070_400_000n;
export const MAX_BUFFERED_DISPATCHES = 1000;

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

export type GatewayReadyKind = 'ready' | 'resumed';

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handle: (call: RecordedCall, params: string[]) => RestResult;
}

export interface Failure extends FakeFailure {
  method: string;
  path: RegExp;
  remaining: number;
}

export interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

export interface Session {
  id: string;
  seq: number;
  intents: number;
  buffer: Dispatch[];
  conn: WebSocket | null;
}

export interface Connection {
  ws: WebSocket;
  session: Session | null;
  closeCode: number | null;
}

export interface InteractionState {
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

export interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

/** The options with their defaults filled in. */
export type ResolvedOptions = Required<Omit<FakeDiscordOptions, 'token' | 'channels'>> & { token: string | undefined };
