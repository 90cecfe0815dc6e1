/**
 * @module Discord outbound: posting a delivery over REST (it works before, and whatever happens to,
 * the gateway connection). A scheduled brief is a message with a thread started on it (the rest in
 * the thread), or a post in a forum channel. Discord has no message metadata, so a delivery that may
 * have been posted before a crash is found again by the fingerprint of its rendered content among the
 * bot's recent messages; a nonce per part keeps a resent request from making a second message.
 */
import { createHash } from 'node:crypto';
import {
  type APIChannel,
  type APIGuildForumChannel,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  type Client,
  DiscordAPIError,
  Routes,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { notDefinite, PlatformError } from '../../shared/errors.ts';
import type { DeliveryContent, PostRequest, PostResult } from '../chat-platform.ts';
import { toPlatformError } from './errors.ts';
import { type DiscordMessage, renderDiscord, threadName } from './render.ts';

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

function messageBody(m: DiscordMessage, nonce: string) {
  return {
    ...(m.content ? { content: m.content } : {}),
    embeds: m.embeds,
    ...(m.components ? { components: m.components } : {}),
    allowed_mentions: { parse: [] },
    // Discord keeps one message per nonce for a few minutes: a resent request cannot make a second one.
    nonce,
    enforce_nonce: true,
  };
}

export interface DiscordOutbound {
  post(request: PostRequest, options: { inDoubt: boolean; since: string | null }): Promise<PostResult>;
}

/** Posting through the client's REST side. */
export function createDiscordOutbound(client: Client): DiscordOutbound {
  /** The bot's user id (for finding its own messages): from the gateway when connected, else asked once. */
  let botUserId: string | null = null;
  const botId = async (): Promise<string> => {
    botUserId ??= client.user?.id ?? ((await client.rest.get(Routes.user('@me'))) as APIUser).id;
    return botUserId;
  };

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

  /** A forum: one post per brief, the headlines as its starter message, the events in the post. */
  const postInForum = async (
    request: PostRequest,
    channel: APIGuildForumChannel,
    threadTitle: string,
    parts: DiscordMessage[],
    since: Date | null,
  ): Promise<PostResult> => {
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
    if (channel.type === ChannelType.GuildForum) return postInForum(request, channel, threadTitle, parts, since);
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

  return {
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
