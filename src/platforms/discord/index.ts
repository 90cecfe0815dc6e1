/**
 * @module Discord adapter (discord.js). Translates only: `/brief`, `/sources`, the Sources button and
 * (where the MessageContent intent is granted) "sources" messages in a thread become calls to the
 * command handlers; platform-neutral deliveries become messages with embeds. A scheduled brief is a
 * message with a thread started on it (one message per event in the thread), or a post in a forum
 * channel. Mentions never ping (`allowedMentions: { parse: [] }` and neutralised text). discord.js's
 * REST queue handles rate limits; failures still go back to the ledger, which retries. Discord has no
 * message metadata, so a delivery that may have been posted before a crash is found again by the
 * fingerprint of its rendered content among the bot's recent messages.
 */
import { createHash } from 'node:crypto';
import {
  type APIChannel,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  type Message,
  MessageFlags,
  Routes,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { Config } from '../../config/load-config.ts';
import { errorMessage, notDefinite, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, DeliveryContent, InboundHandlers, PostRequest, PostResult } from '../chat-platform.ts';
import { type DiscordMessage, renderDiscord, renderNoMatch, SOURCES_BUTTON_PREFIX, threadName } from './render.ts';
import { escapeDiscordText } from './text.ts';

/** The Discord settings of the config (`messageContent`: read "sources" typed in threads, a privileged intent). */
export type DiscordConfig = NonNullable<Config['discord']>;

export interface DiscordPlatformOptions {
  /** REST retries inside discord.js (default none: the ledger retries, looking first). */
  restRetries?: number;
  /** How long to wait for the gateway's READY at start (default 30 s); then start is retried. */
  readyTimeoutMs?: number;
}

export interface DiscordPlatform extends ChatPlatform {
  readonly client: Client;
}

/** What identifies a rendered message among the bot's recent ones. */
export function fingerprint(m: {
  content?: string | null;
  embeds?: ReadonlyArray<{ title?: string | null; description?: string | null }>;
}): string {
  const first = m.embeds?.[0];
  return createHash('sha256')
    .update(`${m.content ?? ''}\u0000${first?.title ?? ''}\u0000${(first?.description ?? '').slice(0, 500)}`)
    .digest('hex')
    .slice(0, 24);
}

function nonceOf(key: string, part: number): string {
  return createHash('sha256').update(`${key}#${part}`).digest('hex').slice(0, 25);
}

export function toPlatformError(err: unknown): PlatformError {
  if (err instanceof DiscordAPIError) {
    const status = err.status;
    if (status === 401) {
      return new PlatformError('platform_auth', `Discord refused the bot token (DISCORD_TOKEN): ${err.message}`, {
        retryable: true,
        definite: true,
        cause: err,
      });
    }
    const retryable = status >= 500 || status === 429;
    return new PlatformError(
      status === 429 ? 'platform_rate_limited' : retryable ? 'platform_unavailable' : 'platform_rejected',
      `Discord refused the call (${status} ${err.code}): ${err.message}${status === 403 ? ' (check the bot’s permissions in this channel)' : ''}`,
      // A 5xx may come after the message was stored: check before posting again.
      { retryable, definite: status < 500, cause: err },
    );
  }
  if (err instanceof HTTPError) {
    return new PlatformError('platform_unavailable', `Discord answered HTTP ${err.status}`, {
      retryable: err.status >= 500 || err.status === 429,
      definite: err.status < 500,
      cause: err,
    });
  }
  return new PlatformError('platform_unavailable', `Discord unreachable: ${errorMessage(err)}`, { retryable: true, cause: err });
}

export function createDiscordPlatform(config: DiscordConfig, logger: Logger, options: DiscordPlatformOptions = {}): DiscordPlatform {
  // Only what is used: guilds and channels (Guilds); thread messages only when they are read at all.
  const intents = [GatewayIntentBits.Guilds];
  if (config.messageContent) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: { parse: [] },
    // No retries inside the client: a retried thread or forum post could be made twice. The ledger retries, looking first.
    rest: { retries: options.restRetries ?? 0, ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}) },
  });
  // Posting uses REST only: it works before (and whatever happens to) the gateway connection.
  client.rest.setToken(config.token);
  let handlersAdded = false;
  let gatewayUp = false;
  let stopped = false;

  /** The bot's user id (for finding its own messages): from the gateway when connected, else asked once. */
  let botUserId: string | null = null;
  const botId = async (): Promise<string> => {
    botUserId ??= client.user?.id ?? ((await client.rest.get(Routes.user('@me'))) as APIUser).id;
    return botUserId;
  };

  const messageBody = (m: DiscordMessage, nonce: string) => ({
    ...(m.content ? { content: m.content } : {}),
    embeds: m.embeds,
    ...(m.components ? { components: m.components } : {}),
    allowed_mentions: { parse: [] },
    // Discord keeps one message per nonce for a few minutes: a resent request cannot make a second one.
    nonce,
    enforce_nonce: true,
  });

  const send = async (channelId: string, m: DiscordMessage, nonce: string): Promise<APIMessage> =>
    (await client.rest.post(Routes.channelMessages(channelId), { body: messageBody(m, nonce) })) as APIMessage;

  /**
   * The bot's messages in a channel since an in-doubt attempt started, by fingerprint. Discord has no
   * message metadata; a message of the same content posted since then is this one.
   */
  const postedSince = async (channelId: string, since: Date): Promise<Map<string, APIMessage>> => {
    const found = new Map<string, APIMessage>();
    const me = await botId();
    let after = SnowflakeUtil.generate({ timestamp: since.getTime() - 10_000 }).toString();
    for (let page = 0; page < 10; page++) {
      const batch = (await client.rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ after, limit: '100' }),
      })) as APIMessage[];
      for (const m of batch) if (m.author.id === me) found.set(fingerprint(m), m);
      if (batch.length < 100) break;
      after = batch.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
    }
    return found;
  };

  /** Posts the parts not already there; a failure after some went out is not a definite one. */
  const sendParts = async (
    channelId: string,
    parts: DiscordMessage[],
    key: string,
    since: Date | null,
    from = 0,
  ): Promise<APIMessage | null> => {
    const existing = since ? await postedSince(channelId, since) : new Map<string, APIMessage>();
    let first: APIMessage | null = null;
    let postedSome = false;
    for (const [i, part] of parts.entries()) {
      if (i < from) continue;
      let message = existing.get(fingerprint(part));
      if (!message) {
        try {
          message = await send(channelId, part, nonceOf(key, i));
        } catch (err) {
          throw postedSome ? notDefinite(toPlatformError(err)) : err;
        }
        postedSome = true;
      }
      first ??= message;
    }
    return first;
  };

  /** The thread on a brief's message; one that already exists (a retry) is the thread: it has the message's id. */
  const threadOn = async (channelId: string, message: APIMessage, name: string): Promise<string> => {
    if (message.thread) return message.thread.id;
    try {
      const thread = (await client.rest.post(Routes.threads(channelId, message.id), {
        body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek },
      })) as APIThreadChannel;
      return thread.id;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === 160004) return message.id;
      throw err;
    }
  };

  const postParent = async (
    request: PostRequest,
    content: Extract<DeliveryContent, { kind: 'parent' }>,
    since: Date | null,
  ): Promise<PostResult> => {
    const channel = (await client.rest.get(Routes.channel(request.channelId))) as APIChannel;
    const name = threadName(content.briefing, { now: new Date(content.briefing.generatedAt), timezone: content.timezone });
    const threadTitle = content.topic ? `Brief: ${content.topic}`.slice(0, 100) : name;
    const parts = renderDiscord(content);
    if (channel.type === ChannelType.GuildForum) {
      // A forum: one post per brief, the headlines as its starter message, the events in the post.
      if (since) {
        const me = await botId();
        const active = (await client.rest.get(Routes.guildActiveThreads(channel.guild_id ?? ''))) as { threads: APIThreadChannel[] };
        const same = active.threads.find(
          (t) =>
            t.parent_id === channel.id &&
            t.name === threadTitle &&
            t.owner_id === me &&
            SnowflakeUtil.timestampFrom(t.id) >= since.getTime() - 10_000,
        );
        if (same) {
          if (parts.length > 1) await sendParts(same.id, parts, request.key, since, 1);
          return { messageRef: same.id, threadRef: same.id };
        }
      }
      const [starter, ...rest] = parts;
      if (!starter) throw new PlatformError('platform_rejected', 'empty forum post', { retryable: false });
      const thread = (await client.rest.post(Routes.threads(channel.id), {
        body: {
          name: threadTitle,
          auto_archive_duration: ThreadAutoArchiveDuration.OneWeek,
          message: messageBody(starter, nonceOf(request.key, 0)),
        },
      })) as APIThreadChannel;
      try {
        for (const [i, m] of rest.entries()) await send(thread.id, m, nonceOf(request.key, i + 1));
      } catch (err) {
        throw notDefinite(toPlatformError(err));
      }
      return { messageRef: thread.id, threadRef: thread.id };
    }
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      throw new PlatformError('platform_rejected', `Discord channel ${request.channelId} is not a text or forum channel`, {
        retryable: false,
      });
    }
    const first = await sendParts(channel.id, parts.slice(0, 1), request.key, since);
    if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
    // The thread on the brief message (kept open a week, for updates and sources); the rest of a long parent goes into it.
    let threadId: string;
    try {
      threadId = await threadOn(channel.id, first, threadTitle);
      if (parts.length > 1) await sendParts(threadId, parts, request.key, since, 1);
    } catch (err) {
      throw notDefinite(err instanceof PlatformError ? err : toPlatformError(err));
    }
    return { messageRef: first.id, threadRef: threadId };
  };

  const ephemeral = { flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] as [] } } as const;

  /** Where a command was typed: a channel the brief can start a thread in, a thread (or forum post), or elsewhere. */
  const placeOf = async (
    channelId: string,
  ): Promise<{ kind: 'channel' } | { kind: 'thread'; parentId: string } | { kind: 'elsewhere' }> => {
    try {
      const channel = (await client.rest.get(Routes.channel(channelId))) as APIChannel & { parent_id?: string | null };
      if (
        channel.type === ChannelType.PublicThread ||
        channel.type === ChannelType.PrivateThread ||
        channel.type === ChannelType.AnnouncementThread
      ) {
        return { kind: 'thread', parentId: channel.parent_id ?? channelId };
      }
      return channel.type === ChannelType.GuildText ||
        channel.type === ChannelType.GuildAnnouncement ||
        channel.type === ChannelType.GuildForum
        ? { kind: 'channel' }
        : { kind: 'elsewhere' };
    } catch {
      // Discord cannot be asked just now: plan the brief as usual; the ledger retries.
      return { kind: 'channel' };
    }
  };

  const onInteraction = async (inbound: InboundHandlers, interaction: Interaction): Promise<void> => {
    if (interaction.isChatInputCommand() && interaction.commandName === 'brief') {
      // Finding and writing the brief can take longer than Discord's 3 s: defer first.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const topic = (interaction.options.getString('topic') ?? '').trim();
      const where = await placeOf(interaction.channelId);
      const answer = await inbound.brief({
        platform: 'discord',
        // Inside a thread or a forum post: the brief goes into it, recorded under its parent channel.
        channelId: where.kind === 'thread' ? where.parentId : interaction.channelId,
        ...(where.kind === 'thread' ? { threadRef: interaction.channelId } : {}),
        userId: interaction.user.id,
        topic,
        deliver: where.kind !== 'elsewhere',
      });
      const shown = escapeDiscordText(topic.slice(0, 100));
      if (answer.kind === 'preview') {
        // Not a place the bot posts briefs (a DM, a voice channel…): the brief for the asker alone.
        const embeds = answer.events.flatMap((event, i) =>
          renderDiscord({ kind: 'event', event, index: i + 1 }).flatMap((m) => m.embeds ?? []),
        );
        await interaction.editReply({
          content: `I can't post a brief here, so here it is on “${shown}”, visible only to you. Ask in a text channel, a thread or a forum post to share it.`,
          embeds: embeds.slice(0, 10),
          allowedMentions: { parse: [] },
        });
        return;
      }
      if (answer.kind === 'planned') {
        const what = `${answer.events} event${answer.events === 1 ? '' : 's'}`;
        const place = where.kind === 'thread' ? 'this thread' : 'this channel';
        await interaction.editReply({
          content: answer.fresh
            ? `Posting a brief on “${shown}” in ${place}: ${what}.`
            : `A brief on “${shown}” (${what}) was posted in ${place} a moment ago.`,
          allowedMentions: { parse: [] },
        });
      } else {
        const [m] = renderNoMatch(answer.kind === 'no_match' ? answer.topic : '', answer.latest);
        await interaction.editReply({
          ...(m?.content ? { content: m.content } : {}),
          embeds: m?.embeds ?? [],
          allowedMentions: { parse: [] },
        });
      }
      return;
    }
    if (interaction.isChatInputCommand() && interaction.commandName === 'sources') {
      const thread = interaction.channel;
      if (!thread?.isThread()) {
        await interaction.reply({ content: 'Use /sources inside a briefing thread.', ...ephemeral });
        return;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const ok = await inbound.sources({
        platform: 'discord',
        channelId: thread.parentId ?? thread.id,
        threadRef: thread.id,
        eventId: null,
        number: interaction.options.getInteger('number'),
        requestId: interaction.id,
      });
      await interaction.editReply({
        content: ok ? 'Sources coming up in this thread.' : 'This thread is not a briefing thread.',
        allowedMentions: { parse: [] },
      });
      return;
    }
    if (interaction.isButton() && interaction.customId.startsWith(SOURCES_BUTTON_PREFIX)) {
      const eventId = interaction.customId.slice(SOURCES_BUTTON_PREFIX.length);
      const thread = interaction.channel;
      const threadRef = thread?.isThread() ? thread.id : interaction.channelId;
      const channelId = thread?.isThread() ? (thread.parentId ?? thread.id) : interaction.channelId;
      await interaction.deferUpdate();
      await inbound.sources({ platform: 'discord', channelId, threadRef, eventId, number: null, requestId: interaction.id });
    }
  };

  const onMessage = async (inbound: InboundHandlers, message: Message): Promise<void> => {
    if (message.author.bot || !message.channel.isThread() || !message.content) return;
    await inbound.threadMessage({
      platform: 'discord',
      channelId: message.channel.parentId ?? message.channel.id,
      threadRef: message.channel.id,
      text: message.content,
      userId: message.author.id,
      requestId: message.id,
    });
  };

  return {
    name: 'discord',
    client,
    async start(inbound: InboundHandlers) {
      if (stopped) return;
      if (!handlersAdded) {
        handlersAdded = true;
        client.on(Events.InteractionCreate, (interaction) => {
          onInteraction(inbound, interaction).catch(async (err: unknown) => {
            logger.error('discord interaction failed', { error: errorMessage(err) });
            // Never leave the asker looking at "thinking…".
            if (interaction.isRepliable() && interaction.deferred && !interaction.replied) {
              await interaction
                .editReply({ content: 'Sorry, that could not be done. Please try again in a minute.', allowedMentions: { parse: [] } })
                .catch(() => undefined);
            }
          });
        });
        client.on(Events.MessageCreate, (message) => {
          onMessage(inbound, message).catch((err: unknown) => logger.error('discord thread message failed', { error: errorMessage(err) }));
        });
        client.on(Events.ShardDisconnect, (event) => {
          gatewayUp = false;
          logger.warn('discord gateway disconnected', { code: event.code });
        });
        client.on(Events.ShardReconnecting, () => {
          gatewayUp = false;
        });
        client.on(Events.ShardResume, () => {
          gatewayUp = true;
          logger.info('discord gateway resumed');
        });
        client.on(Events.ShardReady, () => {
          gatewayUp = true;
        });
        client.on(Events.Error, (err) => logger.error('discord client error', { error: errorMessage(err) }));
      }
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no READY from the Discord gateway within 30 s')), options.readyTimeoutMs ?? 30_000);
      });
      try {
        await Promise.race([client.login(config.token).then(() => ready), timeout]);
        logger.info('discord client ready', { user: client.user?.tag, guilds: client.guilds.cache.size });
      } catch (err) {
        await client.destroy().catch(() => undefined);
        client.rest.setToken(config.token);
        const code = (err as { code?: unknown }).code;
        const invalid = code === 'TokenInvalid' || /4004|Authentication failed|invalid token/i.test(errorMessage(err));
        if (invalid)
          throw new PlatformError('platform_auth', 'Discord refused the bot token (DISCORD_TOKEN)', { retryable: false, cause: err });
        if (code === 'DisallowedIntents' || /4014|disallowed intent/i.test(errorMessage(err))) {
          throw new PlatformError(
            'platform_auth',
            'Discord refused the Message Content intent: switch it on (Developer Portal → Bot → Message Content Intent) or set DISCORD_MESSAGE_CONTENT=false',
            { retryable: false, cause: err },
          );
        }
        throw toPlatformError(err);
      } finally {
        clearTimeout(timer);
      }
    },
    connected: () => gatewayUp && client.isReady(),
    async stop() {
      stopped = true;
      gatewayUp = false;
      await client.destroy();
    },
    async post(request, { inDoubt, since }) {
      // An attempt whose outcome is unknown: look for it among what the bot posted since it started.
      const lookFrom = inDoubt ? new Date(since ? Date.parse(since) : Date.now() - 3_600_000) : null;
      try {
        if (request.content.kind === 'parent' && !request.threadRef) return await postParent(request, request.content, lookFrom);
        const target = request.threadRef ?? request.channelId;
        const first = await sendParts(target, renderDiscord(request.content), request.key, lookFrom);
        if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
        return { messageRef: first.id, threadRef: target };
      } catch (err) {
        throw err instanceof PlatformError ? err : toPlatformError(err);
      }
    },
  };
}
