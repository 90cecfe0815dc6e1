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
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
  type SendableChannels,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { errorMessage, PlatformError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { ChatPlatform, DeliveryContent, InboundHandlers, PostRequest, PostResult } from '../chat-platform.ts';
import { escapeDiscordText } from './discord-text.ts';
import {
  type DiscordMessage,
  renderBriefingParent,
  renderEventMessage,
  renderEventUpdate,
  renderNoMatch,
  renderOnDemandParent,
  renderSources,
  threadName,
} from './render-message.ts';

export interface DiscordConfig {
  token: string;
  applicationId: string | undefined;
  apiUrl: string | undefined;
  /** Read messages in threads (needs the privileged MessageContent intent enabled for the bot). */
  messageContent?: boolean;
}

export interface DiscordPlatformOptions {
  /** REST retries on 5xx before the failure goes back to the ledger. */
  restRetries?: number;
  /** How long to wait for the gateway's READY at start (default 30 s); then start is retried. */
  readyTimeoutMs?: number;
}

export interface DiscordPlatform extends ChatPlatform {
  readonly client: Client;
}

export const SOURCES_PREFIX = 'briefbot_sources:';

export function renderDiscord(content: DeliveryContent): DiscordMessage[] {
  switch (content.kind) {
    case 'parent':
      return content.topic
        ? renderOnDemandParent(content.topic, content.briefing)
        : renderBriefingParent(content.briefing, {
            now: new Date(content.briefing.generatedAt),
            timezone: content.timezone,
            ...(content.heading ? { heading: content.heading } : {}),
          });
    case 'event':
      return renderEventMessage(content.event, content.index, { sourcesButton: true });
    case 'update':
      return renderEventUpdate(content.event, { newSources: content.newSources, newPoints: content.newPoints });
    case 'sources':
      return renderSources(content.events, { page: content.page });
    case 'no_match':
      return renderNoMatch(content.topic, content.latest);
    case 'notice':
      return [{ content: escapeDiscordText(content.text).slice(0, 2000), embeds: [], allowedMentions: { parse: [] } }];
  }
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

function toCreateOptions(m: DiscordMessage, nonce: string): MessageCreateOptions {
  return {
    ...(m.content ? { content: m.content } : {}),
    embeds: m.embeds,
    ...(m.components ? { components: m.components } : {}),
    allowedMentions: { parse: [] },
    nonce,
    enforceNonce: true,
  };
}

export function createDiscordPlatform(config: DiscordConfig, logger: Logger, options: DiscordPlatformOptions = {}): DiscordPlatform {
  // Only what is used: guilds and channels (Guilds); thread messages only when they are read at all.
  const intents = [GatewayIntentBits.Guilds];
  if (config.messageContent) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: { parse: [] },
    rest: { retries: options.restRetries ?? 2, ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}) },
  });
  // Posting uses REST only: it works before (and whatever happens to) the gateway connection.
  client.rest.setToken(config.token);
  const botId = () => client.user?.id ?? config.applicationId;
  let handlersAdded = false;

  const sendable = async (id: string): Promise<SendableChannels> => {
    const channel = await client.channels.fetch(id);
    if (!channel?.isSendable())
      throw new PlatformError('platform_rejected', `Discord channel ${id} cannot receive messages`, { retryable: false });
    return channel;
  };

  /**
   * The bot's messages in a channel since an in-doubt attempt started, by fingerprint. Discord has no
   * message metadata; a message of the same content posted in the same minutes is this one.
   */
  const postedSince = async (channel: SendableChannels, since: Date): Promise<Map<string, Message>> => {
    const found = new Map<string, Message>();
    if (!('messages' in channel)) return found;
    const after = SnowflakeUtil.generate({ timestamp: since.getTime() - 60_000 }).toString();
    const messages = await channel.messages.fetch({ after, limit: 100 });
    for (const m of messages.values()) if (m.author.id === botId()) found.set(fingerprint({ content: m.content, embeds: m.embeds }), m);
    return found;
  };

  const sendParts = async (
    channel: SendableChannels,
    parts: DiscordMessage[],
    key: string,
    since: Date | null,
    from = 0,
  ): Promise<Message | null> => {
    const existing = since ? await postedSince(channel, since) : new Map<string, Message>();
    let first: Message | null = null;
    for (const [i, part] of parts.entries()) {
      if (i < from) continue;
      const already = existing.get(fingerprint(part));
      const message = already ?? (await channel.send(toCreateOptions(part, nonceOf(key, i))));
      first ??= message;
    }
    return first;
  };

  const postParent = async (
    request: PostRequest,
    content: Extract<DeliveryContent, { kind: 'parent' }>,
    since: Date | null,
  ): Promise<PostResult> => {
    const channel = await client.channels.fetch(request.channelId);
    const name = threadName(content.briefing, { now: new Date(content.briefing.generatedAt), timezone: content.timezone });
    const threadTitle = content.topic ? `Brief: ${content.topic}`.slice(0, 100) : name;
    const parts = renderDiscord(content);
    if (channel?.type === ChannelType.GuildForum) {
      // A forum: one post per brief, the headlines as its starter message, the events in the post.
      if (since) {
        const active = await channel.threads.fetchActive();
        const same = active.threads.find(
          (t) => t.name === threadTitle && t.ownerId === botId() && (t.createdTimestamp ?? 0) >= since.getTime() - 60_000,
        );
        if (same) {
          if (parts.length > 1) await sendParts(same, parts, request.key, since, 1);
          return { messageRef: same.id, threadRef: same.id };
        }
      }
      const [starter, ...rest] = parts;
      if (!starter) throw new PlatformError('platform_rejected', 'empty forum post', { retryable: false });
      const thread = await channel.threads.create({
        name: threadTitle,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
        message: toCreateOptions(starter, nonceOf(request.key, 0)),
      });
      for (const [i, m] of rest.entries()) await thread.send(toCreateOptions(m, nonceOf(request.key, i + 1)));
      return { messageRef: thread.id, threadRef: thread.id };
    }
    if (!channel?.isSendable() || !channel.isTextBased() || channel.isThread() || channel.isDMBased()) {
      throw new PlatformError('platform_rejected', `Discord channel ${request.channelId} is not a text or forum channel`, {
        retryable: false,
      });
    }
    const first = await sendParts(channel, parts.slice(0, 1), request.key, since);
    if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
    // The thread on the brief message (kept open a week, for updates and sources); the rest of a long parent goes into it.
    const thread = first.thread ?? (await first.startThread({ name: threadTitle, autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek }));
    if (parts.length > 1) await sendParts(thread, parts, request.key, since, 1);
    return { messageRef: first.id, threadRef: thread.id };
  };

  const ephemeral = { flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] as [] } } as const;

  const onInteraction = async (inbound: InboundHandlers, interaction: Interaction): Promise<void> => {
    if (interaction.isChatInputCommand() && interaction.commandName === 'brief') {
      // Finding and writing the brief can take longer than Discord's 3 s: defer first.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const topic = (interaction.options.getString('topic') ?? '').trim();
      const answer = await inbound.brief({ platform: 'discord', channelId: interaction.channelId, userId: interaction.user.id, topic });
      if (answer.kind === 'planned') {
        const what = `${answer.events} event${answer.events === 1 ? '' : 's'}`;
        const shown = escapeDiscordText(topic.slice(0, 100));
        await interaction.editReply({
          content: answer.fresh
            ? `Posting a brief on “${shown}” in this channel: ${what}.`
            : `A brief on “${shown}” (${what}) was posted in this channel a moment ago.`,
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
    if (interaction.isButton() && interaction.customId.startsWith(SOURCES_PREFIX)) {
      const eventId = interaction.customId.slice(SOURCES_PREFIX.length);
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
      if (!handlersAdded) {
        handlersAdded = true;
        client.on(Events.InteractionCreate, (interaction) => {
          onInteraction(inbound, interaction).catch((err: unknown) =>
            logger.error('discord interaction failed', { error: errorMessage(err) }),
          );
        });
        client.on(Events.MessageCreate, (message) => {
          onMessage(inbound, message).catch((err: unknown) => logger.error('discord thread message failed', { error: errorMessage(err) }));
        });
        client.on(Events.ShardDisconnect, (event) => logger.warn('discord gateway disconnected', { code: event.code }));
        client.on(Events.ShardResume, () => logger.info('discord gateway resumed'));
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
        const invalid =
          (err as { code?: unknown }).code === 'TokenInvalid' || /4004|Authentication failed|invalid token/i.test(errorMessage(err));
        if (invalid)
          throw new PlatformError('platform_auth', 'Discord refused the bot token (DISCORD_TOKEN)', { retryable: false, cause: err });
        throw toPlatformError(err);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      await client.destroy();
    },
    async post(request, { inDoubt, since }) {
      // An attempt whose outcome is unknown: look for it among what the bot posted since it started.
      const lookFrom = inDoubt ? new Date(since ? Date.parse(since) : Date.now() - 3_600_000) : null;
      try {
        if (request.content.kind === 'parent' && !request.threadRef) return await postParent(request, request.content, lookFrom);
        const target = await sendable(request.threadRef ?? request.channelId);
        const first = await sendParts(target, renderDiscord(request.content), request.key, lookFrom);
        if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
        return { messageRef: first.id, threadRef: request.threadRef ?? target.id };
      } catch (err) {
        throw err instanceof PlatformError ? err : toPlatformError(err);
      }
    },
  };
}
