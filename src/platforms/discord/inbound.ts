/**
 * @module Discord inbound: what people do in Discord, as calls to the command handlers. `/brief`,
 * `/sources`, the Sources button and (where the MessageContent intent is granted) "sources" messages
 * in a thread become {@link InboundHandlers} calls; the asker's answers are ephemeral and never ping.
 */
import {
  type APIChannel,
  type ButtonInteraction,
  ChannelType,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  type Message,
  MessageFlags,
  Routes,
} from 'discord.js';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { InboundHandlers } from '../chat-platform.ts';
import { briefPlannedReply, previewNotHereReply, REQUEST_FAILED, SOURCES_OUTSIDE_THREAD, sourcesReply } from '../present/replies.ts';
import { renderDiscord, renderNoMatch, SOURCES_BUTTON_PREFIX } from './render.ts';
import { escapeDiscordText } from './text.ts';

const ephemeral = { flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] as [] } } as const;

type Place = { kind: 'channel' } | { kind: 'thread'; parentId: string } | { kind: 'elsewhere' };

/** Where a command was typed: a channel the brief can start a thread in, a thread (or forum post), or elsewhere. */
async function placeOf(client: Client, channelId: string): Promise<Place> {
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
}

/** `/brief <topic>`: deferred at once (finding and writing the brief can take longer than Discord's 3 s). */
async function onBrief(client: Client, inbound: InboundHandlers, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const topic = (interaction.options.getString('topic') ?? '').trim();
  const where = await placeOf(client, interaction.channelId);
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
    await interaction.editReply({ content: previewNotHereReply(shown), embeds: embeds.slice(0, 10), allowedMentions: { parse: [] } });
    return;
  }
  if (answer.kind === 'planned') {
    const place = where.kind === 'thread' ? 'this thread' : 'this channel';
    await interaction.editReply({ content: briefPlannedReply(shown, answer.events, answer.fresh, place), allowedMentions: { parse: [] } });
    return;
  }
  const [m] = renderNoMatch(answer.kind === 'no_match' ? answer.topic : '', answer.latest);
  await interaction.editReply({
    ...(m?.content ? { content: m.content } : {}),
    embeds: m?.embeds ?? [],
    allowedMentions: { parse: [] },
  });
}

/** `/sources [number]` in a brief's thread: the sources follow in the thread. */
async function onSourcesCommand(inbound: InboundHandlers, interaction: ChatInputCommandInteraction): Promise<void> {
  const thread = interaction.channel;
  if (!thread?.isThread()) {
    await interaction.reply({ content: SOURCES_OUTSIDE_THREAD, ...ephemeral });
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
  await interaction.editReply({ content: sourcesReply(ok), allowedMentions: { parse: [] } });
}

/** The Sources button under an event. */
async function onSourcesButton(inbound: InboundHandlers, interaction: ButtonInteraction): Promise<void> {
  const eventId = interaction.customId.slice(SOURCES_BUTTON_PREFIX.length);
  const thread = interaction.channel;
  const threadRef = thread?.isThread() ? thread.id : interaction.channelId;
  const channelId = thread?.isThread() ? (thread.parentId ?? thread.id) : interaction.channelId;
  await interaction.deferUpdate();
  await inbound.sources({ platform: 'discord', channelId, threadRef, eventId, number: null, requestId: interaction.id });
}

async function onInteraction(client: Client, inbound: InboundHandlers, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === 'brief') return onBrief(client, inbound, interaction);
  if (interaction.isChatInputCommand() && interaction.commandName === 'sources') return onSourcesCommand(inbound, interaction);
  if (interaction.isButton() && interaction.customId.startsWith(SOURCES_BUTTON_PREFIX)) return onSourcesButton(inbound, interaction);
}

/** A person's message in a thread ("sources", "sources 2"). */
async function onMessage(inbound: InboundHandlers, message: Message): Promise<void> {
  if (message.author.bot || !message.channel.isThread() || !message.content) return;
  await inbound.threadMessage({
    platform: 'discord',
    channelId: message.channel.parentId ?? message.channel.id,
    threadRef: message.channel.id,
    text: message.content,
    userId: message.author.id,
    requestId: message.id,
  });
}

/** Adds briefbot's listeners to the client. */
export function registerDiscordHandlers(client: Client, inbound: InboundHandlers, logger: Logger): void {
  client.on(Events.InteractionCreate, (interaction) => {
    onInteraction(client, inbound, interaction).catch(async (err: unknown) => {
      logger.error('discord interaction failed', { error: errorMessage(err) });
      // Never leave the asker looking at "thinking…".
      if (interaction.isRepliable() && interaction.deferred && !interaction.replied) {
        await interaction.editReply({ content: REQUEST_FAILED, allowedMentions: { parse: [] } }).catch(() => undefined);
      }
    });
  });
  client.on(Events.MessageCreate, (message) => {
    onMessage(inbound, message).catch((err: unknown) => logger.error('discord thread message failed', { error: errorMessage(err) }));
  });
}
