/**
 * @module What the fake Discord knows (users, channels, threads, messages, interactions, commands) and the
 * changes both its REST side and the test-side senders make to it: storing, editing and deleting messages,
 * starting threads and forum posts, and waiting until a condition holds.
 */
import {
  type APIApplicationCommand,
  type APIGuildForumChannel,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APINewsChannel,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  MessageFlags,
  MessageType,
  type UserFlags,
} from 'discord.js';
import { guildCreatePayload, makeGuildChannel, newThread } from './payloads.ts';
import {
  BOT_ID,
  BOT_USERNAME,
  DISCORD_EPOCH,
  type FakeChannel,
  type FakeDiscordOptions,
  FORUM_CHANNEL_ID,
  GUILD_ID,
  type InteractionState,
  type ResolvedOptions,
  TEXT_CHANNEL_ID,
  USER_ID,
  type Waiter,
} from './types.ts';
import {
  ApiError,
  addFormError,
  arr,
  compareIds,
  formError,
  hasMessageContent,
  isObj,
  makeUser,
  num,
  type Obj,
  obj,
  str,
  toEmbeds,
  unknownChannel,
  unknownMessage,
  validateMessageBody,
} from './validate.ts';

export class DiscordState {
  readonly options: ResolvedOptions;
  lastSnowflake = 0n;
  readonly botUser: APIUser = {
    id: BOT_ID,
    username: BOT_USERNAME,
    discriminator: '4821',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0 as UserFlags,
  };
  readonly defaultUser: APIUser = { id: USER_ID, username: 'analyst', discriminator: '0', global_name: 'Analyst', avatar: null };
  readonly users = new Map<string, APIUser>();
  readonly guildChannels: Array<APITextChannel | APINewsChannel | APIGuildForumChannel>;
  readonly guildChannelSeeds: Array<APITextChannel | APINewsChannel | APIGuildForumChannel>;
  readonly threadsById = new Map<string, APIThreadChannel>();
  readonly messagesByChannel = new Map<string, APIMessage[]>();
  readonly interactions = new Map<string, InteractionState>();
  readonly globalCommands = new Map<string, APIApplicationCommand>();
  readonly guildCommands = new Map<string, Map<string, APIApplicationCommand>>();
  readonly commandIds = new Map<string, string>();
  readonly waiters = new Set<Waiter>();
  /** Sends a dispatch to every gateway session (the gateway sets it): how the bot's own REST calls come back as events. */
  broadcast: (t: string, d: unknown) => void = () => {};

  constructor(options: FakeDiscordOptions) {
    this.options = {
      heartbeatInterval: options.heartbeatInterval ?? 45_000,
      token: options.token,
      guildName: options.guildName ?? 'Briefing Room',
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      echoBotMessages: options.echoBotMessages ?? true,
    };
    this.users.set(BOT_ID, this.botUser);
    this.users.set(USER_ID, this.defaultUser);
    const seeds = options.channels ?? [
      { id: TEXT_CHANNEL_ID, name: 'briefs', type: 'text', topic: 'Daily briefs' },
      { id: FORUM_CHANNEL_ID, name: 'brief-forum', type: 'forum', topic: 'One post per event' },
    ];
    this.guildChannelSeeds = seeds.map((seed, position) => makeGuildChannel(seed, position));
    this.guildChannels = this.guildChannelSeeds.map((c) => structuredClone(c));
  }

  /** The guild as GUILD_CREATE and GET /guilds/:id describe it. */
  guild(): GatewayGuildCreateDispatchData {
    return guildCreatePayload({
      name: this.options.guildName,
      botUser: this.botUser,
      owner: this.defaultUser,
      channels: this.guildChannels,
      threads: this.threads(),
    });
  }

  /** Forget messages, threads, interactions and commands, and restore the seeded channels. */
  reset(): void {
    this.messagesByChannel.clear();
    this.threadsById.clear();
    this.interactions.clear();
    this.globalCommands.clear();
    this.guildCommands.clear();
    this.guildChannels.splice(0, this.guildChannels.length, ...this.guildChannelSeeds.map((c) => structuredClone(c)));
  }

  /** Messages stored for a channel or thread, oldest first (ephemeral interaction replies included, flag 64). */
  messages(channelId: string): APIMessage[] {
    return [...(this.messagesByChannel.get(channelId) ?? [])];
  }

  channel(id: string): FakeChannel | undefined {
    return this.threadsById.get(id) ?? this.guildChannels.find((c) => c.id === id);
  }

  /** Threads (and forum posts), oldest first; optionally only those under one parent channel. */
  threads(parentId?: string): APIThreadChannel[] {
    return [...this.threadsById.values()].filter((t) => parentId === undefined || t.parent_id === parentId);
  }

  /** Registered application commands: global, or for one guild. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...(guildId === undefined ? this.globalCommands : (this.guildCommands.get(guildId) ?? new Map())).values()];
  }

  snowflake(): string {
    let v = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    if (v <= this.lastSnowflake) v = this.lastSnowflake + 1n;
    this.lastSnowflake = v;
    return v.toString();
  }

  /** Keep the fake's state in step with a dispatch a test sends. */
  absorb(t: string, d: unknown): void {
    const p = obj(d);
    if (t === 'INTERACTION_CREATE') {
      const id = str(p.id);
      const token = str(p.token);
      if (!id || !token) return;
      const user = (p.user ?? obj(p.member).user ?? this.defaultUser) as APIUser;
      this.users.set(user.id, user);
      this.interactions.set(id, {
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
      if (!channelId || !id || !this.channel(channelId) || this.findMessage(channelId, id)) return;
      const { guild_id: _guild, member: _member, ...message } = p;
      this.storeMessage(message as unknown as APIMessage);
      const author = obj(p.author);
      if (typeof author.id === 'string') this.users.set(author.id, author as unknown as APIUser);
    } else if (t === 'THREAD_CREATE') {
      const id = str(p.id);
      if (id && !this.threadsById.has(id)) this.threadsById.set(id, p as unknown as APIThreadChannel);
    }
  }

  requireGuild(id: string): void {
    if (id !== GUILD_ID) throw new ApiError(404, 10004, 'Unknown Guild');
  }

  requireChannel(id: string): FakeChannel {
    const channel = this.channel(id);
    if (!channel) throw unknownChannel();
    return channel;
  }

  patchChannel(id: string, b: Obj): FakeChannel {
    const channel = this.requireChannel(id);
    if (typeof b.name === 'string') channel.name = b.name;
    const thread = this.threadsById.get(id);
    if (thread?.thread_metadata) {
      if (typeof b.archived === 'boolean') {
        thread.thread_metadata.archived = b.archived;
        thread.thread_metadata.archive_timestamp = new Date().toISOString();
      }
      if (typeof b.locked === 'boolean') thread.thread_metadata.locked = b.locked;
      if (Array.isArray(b.applied_tags)) thread.applied_tags = b.applied_tags.filter((t): t is string => typeof t === 'string');
    }
    this.echo(thread ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', channel);
    return channel;
  }

  findMessage(channelId: string, id: string): APIMessage | undefined {
    return this.messagesByChannel.get(channelId)?.find((m) => m.id === id);
  }

  findOrSketchMessage(channelId: string, id: string): APIMessage {
    const found = this.findMessage(channelId, id);
    if (found) return found;
    return this.newMessage(channelId, { content: '' }, { id, author: this.botUser });
  }

  storeMessage(message: APIMessage): void {
    const list = this.messagesByChannel.get(message.channel_id) ?? [];
    list.push(message);
    list.sort((a, b) => compareIds(a.id, b.id));
    this.messagesByChannel.set(message.channel_id, list);
    const channel = this.channel(message.channel_id);
    if (!channel) return;
    if ('last_message_id' in channel) channel.last_message_id = message.id;
    const thread = this.threadsById.get(message.channel_id);
    if (thread) {
      thread.message_count = (thread.message_count ?? 0) + 1;
      thread.total_message_sent = (thread.total_message_sent ?? 0) + 1;
    }
  }

  listMessages(channelId: string, query: Record<string, string>): APIMessage[] {
    const channel = this.requireChannel(channelId);
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
  newMessage(channelId: string, b: Obj, extra: Partial<APIMessage> = {}): APIMessage {
    const content = str(b.content) ?? '';
    const reference = obj(b.message_reference);
    const refId = str(reference.message_id);
    let referenced: APIMessage | undefined;
    if (refId) {
      const refChannel = str(reference.channel_id) ?? channelId;
      referenced = this.findMessage(refChannel, refId);
      if (!referenced && reference.fail_if_not_exists !== false) {
        const errors: Obj = {};
        addFormError(errors, ['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        throw formError(errors);
      }
    }
    const mentions = this.resolveMentions(content, b.allowed_mentions, referenced);
    const thread = this.threadsById.get(channelId);
    return {
      id: this.snowflake(),
      channel_id: channelId,
      author: this.botUser,
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
  resolveMentions(content: string, allowedRaw: unknown, referenced: APIMessage | undefined) {
    const allowed = isObj(allowedRaw) ? allowedRaw : undefined;
    const parse = allowed ? arr(allowed.parse) : ['users', 'roles', 'everyone'];
    const users = allowed ? arr(allowed.users) : [];
    const roles = allowed ? arr(allowed.roles) : [];
    const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!).filter((id) => parse.includes('users') || users.includes(id));
    if (referenced && (allowed ? allowed.replied_user === true : true)) userIds.push(referenced.author.id);
    return {
      mentions: [...new Set(userIds)].map((id) => this.users.get(id) ?? makeUser({ id }, this.defaultUser)),
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!).filter((id) => parse.includes('roles') || roles.includes(id)),
      mention_everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone'),
    };
  }

  createBotMessage(channelId: string, b: Obj, fileCount: number): APIMessage {
    const channel = this.requireChannel(channelId);
    if (channel.type === ChannelType.GuildForum) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
    if ('thread_metadata' in channel && channel.thread_metadata?.locked) throw new ApiError(400, 50083, 'Thread is archived');
    validateMessageBody(b, fileCount);
    const message = this.newMessage(channelId, b);
    if ('thread_metadata' in channel && channel.thread_metadata?.archived) channel.thread_metadata.archived = false;
    this.storeMessage(message);
    this.echo('MESSAGE_CREATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  editMessage(channelId: string, id: string, b: Obj, mustBeBot: boolean): APIMessage {
    this.requireChannel(channelId);
    const message = this.findMessage(channelId, id);
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
      Object.assign(message, this.resolveMentions(content, b.allowed_mentions, undefined));
    }
    Object.assign(message, { content, embeds, components });
    message.flags = (message.flags ?? 0) & ~MessageFlags.Loading;
    if (!wasLoading) message.edited_timestamp = new Date().toISOString();
    this.echo('MESSAGE_UPDATE', { ...message, guild_id: GUILD_ID });
    return message;
  }

  deleteMessage(channelId: string, id: string): void {
    const list = this.messagesByChannel.get(channelId);
    const idx = list?.findIndex((m) => m.id === id) ?? -1;
    if (!list || idx === -1) throw unknownMessage();
    list.splice(idx, 1);
    this.echo('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: GUILD_ID });
  }

  /** Dispatch an event caused by the bot's own REST call, if `echoBotMessages` (threads and channels: always). */
  echo(t: string, d: unknown): void {
    if (t.startsWith('MESSAGE_') && !this.options.echoBotMessages) return;
    this.broadcast(t, d);
  }

  threadName(b: Obj): string {
    const name = str(b.name) ?? '';
    if (name.length < 1 || name.length > 100) {
      const errors: Obj = {};
      addFormError(errors, ['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      throw formError(errors);
    }
    return name;
  }

  startThreadFromMessage(channelId: string, messageId: string, b: Obj, ownerId: string): APIThreadChannel {
    const parent = this.requireChannel(channelId);
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const message = this.findMessage(channelId, messageId);
    if (!message) throw unknownMessage();
    if (message.thread || this.threadsById.has(messageId))
      throw new ApiError(400, 160004, 'A thread has already been created for this message');
    const name = this.threadName(b);
    const type = parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    const thread = newThread(messageId, parent, name, type, ownerId, b);
    this.threadsById.set(thread.id, thread);
    message.thread = thread;
    message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
    this.echo('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  /** POST /channels/:id/threads: a forum post (with its starter message) or a thread without a starter message. */
  createThread(channelId: string, b: Obj, ownerId: string, fileCount = 0): APIThreadChannel {
    const parent = this.requireChannel(channelId);
    const name = this.threadName(b);
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
      const thread = newThread(id, parent, name, ChannelType.PublicThread, ownerId, b);
      this.threadsById.set(id, thread);
      const starter = this.newMessage(id, b.message, { id, position: 0, author: this.users.get(ownerId) ?? this.botUser });
      this.storeMessage(starter);
      parent.last_message_id = id;
      this.echo('THREAD_CREATE', { ...thread, newly_created: true });
      this.echo('MESSAGE_CREATE', { ...starter, guild_id: GUILD_ID });
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
    const thread = newThread(this.snowflake(), parent, name, type, ownerId, b);
    this.threadsById.set(thread.id, thread);
    this.echo('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  commandId(scope: string, name: string): string {
    const key = `${scope}:${name}`;
    let id = this.commandIds.get(key);
    if (!id) {
      id = this.snowflake();
      this.commandIds.set(key, id);
    }
    return id;
  }

  /** Let everything still waiting go (on close). */
  releaseWaiters(): void {
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
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
        this.waiters.delete(waiter);
        reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
