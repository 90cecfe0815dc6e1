/**
 * @module A local stand-in for Discord that the real discord.js Client runs against: REST under `/api/v10/...` and a
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
 *
 * The parts: `types.ts` (ids, options, recorded shapes), `validate.ts` (what Discord refuses), `payloads.ts` (pure
 * payload builders), `state.ts` (what the fake knows and how it changes), `rest.ts` (the REST routes),
 * `interactions.ts` (interaction callbacks and commands), `gateway.ts` (the WebSocket). This file is the one
 * entry point: the FakeDiscord class tests use, and its test-side senders (slash commands, button clicks, user
 * messages and threads).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIThreadChannel,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  type GatewayMessageCreateDispatchData,
  type GuildMemberFlags,
  InteractionType,
  type MessageFlags,
  MessageType,
} from 'discord.js';
import { DiscordGateway } from './gateway.ts';
import { DiscordInteractions } from './interactions.ts';
import { interactionBase } from './payloads.ts';
import { DiscordRest } from './rest.ts';
import { DiscordState } from './state.ts';
import {
  type ButtonClickInput,
  type FakeChannel,
  type FakeDiscordOptions,
  type FakeFailure,
  type GatewayReadyKind,
  GUILD_ID,
  type RecordedCall,
  type SlashCommandInput,
  TEXT_CHANNEL_ID,
  type UserMessageInput,
  type UserThreadInput,
} from './types.ts';
import { makeUser } from './validate.ts';

export {
  APP_ID,
  BOT_ID,
  BOT_USERNAME,
  type ButtonClickInput,
  type FakeChannel,
  type FakeChannelSeed,
  type FakeDiscordOptions,
  type FakeFailure,
  type FakeUserInput,
  FORUM_CHANNEL_ID,
  FORUM_TAG_ID,
  GUILD_ID,
  type RecordedCall,
  type RecordedFile,
  type SlashCommandInput,
  TEXT_CHANNEL_ID,
  USER_ID,
  type UserMessageInput,
  type UserThreadInput,
} from './types.ts';

export class FakeDiscord {
  readonly #state: DiscordState;
  readonly #gateway: DiscordGateway;
  readonly #rest: DiscordRest;
  readonly #server: Server;
  #port = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.#state = new DiscordState(options);
    this.#gateway = new DiscordGateway(this.#state, () => this.gatewayUrl);
    this.#rest = new DiscordRest(this.#state, new DiscordInteractions(this.#state), () => this.gatewayUrl);
    this.#server = createServer((req, res) => this.#rest.onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#gateway.upgrade(req, socket, head));
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
    return this.#gateway.openConnections;
  }
  get botUser(): APIUser {
    return this.#state.botUser;
  }

  // ---- inspection --------------------------------------------------------------------------------------------

  /** Every REST call answered, oldest first. */
  get calls(): RecordedCall[] {
    return this.#rest.calls;
  }
  /** Calls outside `/api/v10` or to a route the fake does not know (answered 404). */
  get unknownCalls(): RecordedCall[] {
    return this.#rest.unknownCalls;
  }
  /** WebSocket connections ever opened. */
  get gatewayConnections(): number {
    return this.#gateway.gatewayConnections;
  }
  get identifies(): number {
    return this.#gateway.identifies;
  }
  /** The intents of the last IDENTIFY. */
  get lastIntents(): number | null {
    return this.#gateway.lastIntents;
  }
  get resumes(): number {
    return this.#gateway.resumes;
  }
  get heartbeats(): number {
    return this.#gateway.heartbeats;
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    const m = method.toUpperCase();
    return this.calls.filter((c) => c.method === m && path.test(c.path));
  }

  /** Resolves with the `count`-th (default first) matching call, once the fake has answered it. */
  async waitForCall(method: string, path: RegExp, opts: { count?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const count = opts.count ?? 1;
    await this.#state.waitUntil(() => this.callsTo(method, path).length >= count, opts.timeoutMs ?? 5000, `${method} ${path}`);
    return this.callsTo(method, path)[count - 1]!;
  }

  /** Messages stored for a channel or thread, oldest first (ephemeral interaction replies included, flag 64). */
  messages(channelId: string): APIMessage[] {
    return this.#state.messages(channelId);
  }

  channel(id: string): FakeChannel | undefined {
    return this.#state.channel(id);
  }

  /** Threads (and forum posts), oldest first; optionally only those under one parent channel. */
  threads(parentId?: string): APIThreadChannel[] {
    return this.#state.threads(parentId);
  }

  /** Registered application commands: global, or for one guild. */
  commands(guildId?: string): APIApplicationCommand[] {
    return this.#state.commands(guildId);
  }

  // ---- failure injection -------------------------------------------------------------------------------------

  /** The next matching request(s) get this answer instead of being handled (and change nothing). */
  failNext(method: string, path: RegExp, failure: FakeFailure): void {
    this.#rest.failNext(method, path, failure);
  }

  /** Stop (or resume) answering heartbeats: the client then treats the connection as a zombie and resumes. */
  setHeartbeatAck(ack: boolean): void {
    this.#gateway.setHeartbeatAck(ack);
  }

  // ---- gateway -----------------------------------------------------------------------------------------------

  /**
   * Send a dispatch to every live session (filtered by its intents); sessions whose socket dropped keep it
   * buffered for RESUME. Side effects as on Discord: INTERACTION_CREATE registers the interaction (so its token
   * works on the callback/webhook endpoints), MESSAGE_CREATE stores the message, THREAD_CREATE stores the thread.
   */
  dispatch(t: string, d: unknown): void {
    this.#gateway.dispatch(t, d);
  }

  /**
   * Close every gateway socket. 4000 (default) and most 4xxx codes make discord.js RESUME; 1000 makes it
   * IDENTIFY afresh (after its 5 s identify throttle); 1006 drops the TCP connection without a close frame.
   */
  disconnectGateway(code = 4000): void {
    this.#gateway.disconnectGateway(code);
  }

  /** Ask connected clients to reconnect (op 7); discord.js resumes. */
  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }

  /** Resolves when a client next finishes IDENTIFY (READY + GUILD_CREATE sent) or RESUME (RESUMED sent). */
  nextGatewayReady(timeoutMs = 10_000): Promise<GatewayReadyKind> {
    return this.#gateway.nextGatewayReady(timeoutMs);
  }

  // ---- payload builders (pure) and senders (build + dispatch) -------------------------------------------------

  buildSlashCommand(input: SlashCommandInput = {}): APIChatInputApplicationCommandGuildInteraction {
    const name = input.name ?? 'brief';
    const channel = this.#state.requireChannel(input.channelId ?? TEXT_CHANNEL_ID);
    const user = makeUser(input.user, this.#state.defaultUser);
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
    const guildCommand = this.#state.guildCommands.get(GUILD_ID)?.get(name);
    const command = guildCommand ?? this.#state.globalCommands.get(name);
    return {
      ...interactionBase(this.#state.snowflake(), user, channel, input.locale),
      type: InteractionType.ApplicationCommand,
      data: {
        id: command?.id ?? this.#state.commandId(guildCommand ? GUILD_ID : 'global', name),
        name,
        type: ApplicationCommandType.ChatInput,
        options,
        ...(guildCommand ? { guild_id: GUILD_ID } : {}),
      },
    };
  }

  buildButtonClick(input: ButtonClickInput): APIMessageComponentButtonInteraction {
    const message =
      'channel_id' in input.message ? input.message : this.#state.findOrSketchMessage(input.message.channelId, input.message.id);
    const channel = this.#state.requireChannel(message.channel_id);
    const user = makeUser(input.user, this.#state.defaultUser);
    return {
      ...interactionBase(this.#state.snowflake(), user, channel),
      type: InteractionType.MessageComponent,
      data: { custom_id: input.customId, component_type: ComponentType.Button },
      message,
    };
  }

  buildUserMessage(input: UserMessageInput): GatewayMessageCreateDispatchData {
    const channel = this.#state.requireChannel(input.channelId);
    const author = makeUser(input.user, this.#state.defaultUser);
    const id = this.#state.snowflake();
    const reference = input.replyTo ? this.#state.findMessage(channel.id, input.replyTo) : undefined;
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
      mentions: mentionIds.map((m) => this.#state.users.get(m) ?? makeUser({ id: m }, this.#state.defaultUser)),
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
        ? { position: this.#state.messages(channel.id).length }
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
    const user = makeUser(input.user, this.#state.defaultUser);
    const thread = input.messageId
      ? this.#state.startThreadFromMessage(input.parentId, input.messageId, { name: input.name }, user.id)
      : this.#state.createThread(
          input.parentId,
          { name: input.name, type: ChannelType.PublicThread, ...(input.message ? { message: { content: input.message } } : {}) },
          user.id,
        );
    return thread;
  }

  snowflake(): string {
    return this.#state.snowflake();
  }

  /** Forget calls, failures, messages, threads, interactions and commands; gateway sessions and counters stay. */
  reset(): void {
    this.#rest.reset();
    this.#state.reset();
  }

  async close(): Promise<void> {
    this.#state.releaseWaiters();
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
