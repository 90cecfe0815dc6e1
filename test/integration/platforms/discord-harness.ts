/**
 * @module Discord for the shared platform suite: the real discord.js Client logged in to the fake Discord (REST and
 * gateway) with the Message Content intent. Also the Discord helpers the Discord-only tests use (the bot's public
 * posts, what a reader sees in a message, Discord's message limits).
 */
import type { APIEmbed, APIMessage } from 'discord.js';
import { expect } from 'vitest';
import type { Config } from '../../../src/config/load-config.ts';
import { BOT_ID, type FakeDiscord, startFakeDiscord, TEXT_CHANNEL_ID } from '../../fakes/discord/index.ts';
import { type Clock, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import type { ChatPlatformHarness } from './chat-platform-harness.ts';

export const DISCORD_TOKEN = 'fake-discord-bot-token-0123456789';
export const DISCORD_APPLICATION_ID = '1100000000000000002';

const EPHEMERAL = 1 << 6;

/** What people see in a channel or thread: the bot's public messages (not interaction replies only the asker sees). */
export function discordPosts(discord: FakeDiscord, channelId: string): APIMessage[] {
  return discord.messages(channelId).filter((m) => m.author.id === BOT_ID && ((m.flags ?? 0) & EPHEMERAL) === 0 && !m.interaction_metadata);
}

/** Everything a reader sees in a message: its content and the text of its embeds. */
export function discordVisible(m: Pick<APIMessage, 'content' | 'embeds'>): string {
  const parts = [m.content];
  for (const e of m.embeds) {
    parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
  }
  return parts.join('\n');
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Discord's limits: content 2,000; at most 10 embeds and 6,000 characters of embed text; field values 1,024. */
export function expectWithinDiscordLimits(m: APIMessage): void {
  expect(m.content.length).toBeLessThanOrEqual(2000);
  expect(m.embeds.length).toBeLessThanOrEqual(10);
  expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
  for (const e of m.embeds) {
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
  }
}

/** The custom id of the Sources button under an event's message. */
export function sourcesButtonId(m: APIMessage): string {
  return /"custom_id":"(briefbot_sources:[^"]+)"/.exec(JSON.stringify(m.components))?.[1] as string;
}

export function discordEnv(discord: FakeDiscord): Record<string, string> {
  return {
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_MESSAGE_CONTENT: 'true',
  };
}

/** The config of a bot with one Discord channel (briefs at 08:00 Berlin time); `extraEnv` adds or overrides variables. */
export function writeDiscordConfig(
  feedUrls: readonly string[],
  discord: FakeDiscord,
  channelId = TEXT_CHANNEL_ID,
  extraEnv: Record<string, string> = {},
): Config {
  return writeAndLoadConfig(
    tempDir('discord'),
    feedUrls,
    {
      channels: [{ platform: 'discord', id: channelId, name: '#briefs', schedule: '0 8 * * *', timezone: 'Europe/Berlin' }],
      bot: { updates: { minInterval: '1m' } },
    },
    { ...discordEnv(discord), ...extraEnv },
  );
}

export function createDiscordHarness(): ChatPlatformHarness<APIMessage> {
  let discord: FakeDiscord;
  const posts = (channelId: string): APIMessage[] => discordPosts(discord, channelId);
  const briefThreads = () => discord.threads(TEXT_CHANNEL_ID);

  return {
    name: 'Discord',
    async setUp() {
      discord = await startFakeDiscord({ heartbeatInterval: 1000, token: DISCORD_TOKEN });
    },
    async startBot(feedUrls: readonly string[], clock: Clock) {
      return await startHarness(writeDiscordConfig(feedUrls, discord), clock);
    },
    async tearDown() {
      await discord.close();
    },
    channelMessages: () => posts(TEXT_CHANNEL_ID),
    allMessages: () => [...posts(TEXT_CHANNEL_ID), ...briefThreads().flatMap((t) => posts(t.id))],
    text: discordVisible,
    expectWithinLimits: expectWithinDiscordLimits,
    wording: {
      briefHeading: (topic, events) => new RegExp(`Brief: ${topic}\\n${events} events? ·`),
      noMatch: (topic) => new RegExp(`Nothing recent on “${topic}”`),
    },
    threads: {
      // A thread started from a message takes the message's id.
      replies: (parent) => (briefThreads().some((t) => t.id === parent.id) ? posts(parent.id) : []),
      count: () => briefThreads().length,
    },
    slashCommands: {
      async brief(topic) {
        const interaction = discord.sendSlashCommand({ name: 'brief', options: { topic } });
        const edit = await discord.waitForCall(
          'PATCH',
          new RegExp(`/webhooks/${DISCORD_APPLICATION_ID}/${interaction.token}/messages/@original`),
        );
        const answer = edit.response as APIMessage;
        return { text: discordVisible(answer), private: ((answer.flags ?? 0) & EPHEMERAL) !== 0 };
      },
    },
    threadMessages: {
      async send(parent, text) {
        discord.sendUserMessage({ channelId: parent.id, content: text });
      },
    },
    sourcesButton: {
      async click(_parent, event) {
        discord.clickButton({ customId: sourcesButtonId(event), message: event });
      },
    },
    findsPostedMessages: true,
  };
}
