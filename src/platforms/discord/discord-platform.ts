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
  type SendableChannels,
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
    const retryable = err.status >= 500 || err.status === 429;
    return new PlatformError(
      retryable ? 'platform_unavailable' : 'platform_rejected',
      `Discord refused the call (${err.status} ${err.code}): ${err.message}`,
      {
        retryable,
        cause: err,
      },
    );
  }
  if (err instanceof HTTPError) {
    return new PlatformError('platform_unavailable', `Discord answered HTTP ${err.status}`, {
      retryable: err.status >= 500 || err.status === 429,
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

  const sendable = async (id: string): Promise<SendableChannels> => {
    const channel = await client.channels.fetch(id);
    if (!channel?.isSendable())
      throw new PlatformError('platform_rejected', `Discord channel ${id} cannot receive messages`, { retryable: false });
    return channel;
  };

  /** The bot's recent messages in a channel, by fingerprint (to reconcile an interrupted delivery). */
  const recent = async (channel: SendableChannels): Promise<Map<string, Message>> => {
    const found = new Map<string, Message>();
    if (!('messages' in channel)) return found;
    const messages = await channel.messages.fetch({ limit: 50 });
    for (const m of messages.values())
      if (m.author.id === client.user?.id) found.set(fingerprint({ content: m.content, embeds: m.embeds }), m);
    return found;
  };

  const sendParts = async (
    channel: SendableChannels,
    parts: DiscordMessage[],
    key: string,
    inDoubt: boolean,
    from = 0,
  ): Promise<Message | null> => {
    const existing = inDoubt ? await recent(channel) : new Map<string, Message>();
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
    inDoubt: boolean,
  ): Promise<PostResult> => {
    const channel = await client.channels.fetch(request.channelId);
    const name = threadName(content.briefing, { now: new Date(content.briefing.generatedAt), timezone: content.timezone });
    const parts = renderDiscord(content);
    if (channel?.type === ChannelType.GuildForum) {
      // A forum: one post per brief, the headlines as its starter message, the events in the post.
      const postName = content.topic ? `Brief: ${content.topic}`.slice(0, 100) : name;
      if (inDoubt) {
        const active = await channel.threads.fetchActive();
        const same = active.threads.find((t) => t.name === postName && t.ownerId === client.user?.id);
        if (same) return { messageRef: same.id, threadRef: same.id };
      }
      const [starter, ...rest] = parts;
      if (!starter) throw new PlatformError('platform_rejected', 'empty forum post', { retryable: false });
      const thread = await channel.threads.create({
        name: postName,
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
    const first = await sendParts(channel, parts.slice(0, 1), request.key, inDoubt);
    if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
    // The thread on the brief message (kept open a week, for updates and sources); the rest of a long parent goes into it.
    const thread =
      first.thread ??
      (await first.startThread({
        name: content.topic ? `Brief: ${content.topic}`.slice(0, 100) : name,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
      }));
    if (parts.length > 1) await sendParts(thread, parts, request.key, inDoubt, 1);
    return { messageRef: first.id, threadRef: thread.id };
  };

  return {
    name: 'discord',
    client,
    async start(inbound: InboundHandlers) {
      const onInteraction = async (interaction: Interaction): Promise<void> => {
        try {
          if (interaction.isChatInputCommand() && interaction.commandName === 'brief') {
            // Finding and writing the brief can take longer than Discord's 3 s: defer first.
            await interaction.deferReply({ flags: 'Ephemeral' });
            const topic = interaction.options.getString('topic') ?? '';
            const answer = await inbound.brief({
              platform: 'discord',
              channelId: interaction.channelId,
              userId: interaction.user.id,
              topic,
            });
            if (answer.kind === 'planned') {
              await interaction.editReply({
                content: `Posting a brief on “${escapeDiscordText(topic.slice(0, 100))}” in this channel: ${answer.events} event${answer.events === 1 ? '' : 's'}.`,
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
              await interaction.reply({
                content: 'Use /sources inside a briefing thread.',
                flags: 'Ephemeral',
                allowedMentions: { parse: [] },
              });
              return;
            }
            const number = interaction.options.getInteger('number');
            const ok = await inbound.sources({
              platform: 'discord',
              channelId: thread.parentId ?? thread.id,
              threadRef: thread.id,
              eventId: null,
              number,
              requestId: interaction.id,
            });
            await interaction.reply({
              content: ok ? 'Sources coming up in this thread.' : 'This thread is not a briefing thread.',
              flags: 'Ephemeral',
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
        } catch (err) {
          logger.error('discord interaction failed', { error: errorMessage(err) });
        }
      };
      const onMessage = async (message: Message): Promise<void> => {
        if (message.author.bot || !message.channel.isThread() || !message.content) return;
        try {
          await inbound.threadMessage({
            platform: 'discord',
            channelId: message.channel.parentId ?? message.channel.id,
            threadRef: message.channel.id,
            text: message.content,
            userId: message.author.id,
            requestId: message.id,
          });
        } catch (err) {
          logger.error('discord thread message failed', { error: errorMessage(err) });
        }
      };
      client.on(Events.InteractionCreate, (interaction) => {
        onInteraction(interaction).catch((err: unknown) => logger.error('discord interaction failed', { error: errorMessage(err) }));
      });
      client.on(Events.MessageCreate, (message) => {
        onMessage(message).catch((err: unknown) => logger.error('discord thread message failed', { error: errorMessage(err) }));
      });
      client.on(Events.ShardDisconnect, (event) => logger.warn('discord gateway disconnected', { code: event.code }));
      client.on(Events.ShardResume, () => logger.info('discord gateway resumed'));
      client.on(Events.Error, (err) => logger.error('discord client error', { error: errorMessage(err) }));
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      logger.info('discord client ready', { user: client.user?.tag, guilds: client.guilds.cache.size });
    },
    async stop() {
      await client.destroy();
    },
    async post(request, { inDoubt }) {
      try {
        if (request.content.kind === 'parent' && !request.threadRef) return await postParent(request, request.content, inDoubt);
        const target = await sendable(request.threadRef ?? request.channelId);
        const first = await sendParts(target, renderDiscord(request.content), request.key, inDoubt);
        if (!first) throw new PlatformError('platform_rejected', 'nothing to post', { retryable: false });
        return { messageRef: first.id, threadRef: request.threadRef ?? target.id };
      } catch (err) {
        throw err instanceof PlatformError ? err : toPlatformError(err);
      }
    },
  };
}
