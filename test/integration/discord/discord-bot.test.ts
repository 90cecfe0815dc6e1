/**
 * The Discord side of briefbot end to end: the real bot (config, SQLite, polling, clustering, briefs)
 * and the real discord.js Client, logged in to a fake Discord (REST and gateway) on loopback. The scenarios every
 * platform shares (the brief's parent and thread, updates, /brief, sources in a thread, the Sources button, no
 * double post after a crash) are in the shared platform suite (test/integration/platforms); this file keeps what is
 * Discord's own.
 */

import { type APIMessage, GatewayIntentBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '../../../src/config/load-config.ts';
import { type FakeDiscord, FORUM_CHANNEL_ID, GUILD_ID, startFakeDiscord, TEXT_CHANNEL_ID } from '../../fakes/discord/index.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import {
  type Clock,
  type Harness,
  manualClock,
  serveStories,
  startHarness,
  tempDir,
  writeAndLoadConfig,
} from '../../helpers/bot-harness.ts';
import { runBriefbot } from '../../helpers/cli-io.ts';
import { KURSK } from '../../helpers/kursk-stories.ts';
import { FLOOD, type Story } from '../../helpers/stories.ts';
import {
  DISCORD_APPLICATION_ID as APPLICATION_ID,
  discordEnv,
  discordPosts,
  expectWithinDiscordLimits as expectWithinLimits,
  sourcesButtonId,
  DISCORD_TOKEN as TOKEN,
  discordVisible as visible,
  writeDiscordConfig,
} from '../platforms/discord-harness.ts';

const FLOOD_SAME_DAY: Story[] = FLOOD.map((s, i) => ({ ...s, publishedAt: `2025-04-26T0${7 + i}:30:00Z` }));
const POST_MESSAGE = /^\/channels\/\d+\/messages$/;

let feeds: FakeFeedServer;
let discord: FakeDiscord;
let clock: Clock;
let h: Harness;

const env = (): Record<string, string> => discordEnv(discord);

async function start(channelId = TEXT_CHANNEL_ID, extraEnv: Record<string, string> = {}): Promise<void> {
  const urls = serveStories(feeds, [...KURSK, ...FLOOD_SAME_DAY], ['The Meridian Post']);
  h = await startHarness(writeDiscordConfig(urls, discord, channelId, extraEnv), clock);
}

function channelSpec(): ChannelSpec {
  const c = h.config.channels[0];
  if (!c) throw new Error('no channel configured');
  return c;
}

/** What people see in the channel: the bot's public messages (not interaction replies only the asker sees). */
const posts = (channelId: string): APIMessage[] => discordPosts(discord, channelId);
const briefThreads = () => discord.threads(TEXT_CHANNEL_ID);

async function briefNow(): Promise<void> {
  await h.bot.cycle();
  await h.bot.briefChannel(channelSpec());
}

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  discord = await startFakeDiscord({ heartbeatInterval: 1000, token: TOKEN });
  clock = manualClock('2025-04-26T20:00:00Z');
});

afterEach(async () => {
  await h?.close();
  await discord.close();
  await feeds.close();
});

describe('Discord: the scheduled brief', () => {
  // Its parent, thread and updates: the shared platform suite (test/integration/platforms).
  it("starts the brief's thread from its message, puts a Sources button under each event, and pings nobody", async () => {
    await start();
    await briefNow();
    const top = posts(TEXT_CHANNEL_ID);
    expect(top).toHaveLength(1);
    const threads = briefThreads();
    expect(threads).toHaveLength(1);
    const thread = threads[0];
    expect(thread?.id).toBe(top[0]?.id);
    const kursk = posts(thread?.id as string).find((m) => /Kursk/.test(visible(m))) as APIMessage;
    // A Sources button under each event.
    expect(JSON.stringify(kursk.components)).toMatch(/briefbot_sources:/);
    for (const call of discord.callsTo('POST', POST_MESSAGE))
      expect((call.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
  });
});

describe('Discord: forum channels and intents', () => {
  it('posts a brief in a forum channel as one post, with the events in it', async () => {
    await start(FORUM_CHANNEL_ID);
    await briefNow();
    const forumPosts = discord.threads(FORUM_CHANNEL_ID);
    expect(forumPosts).toHaveLength(1);
    const messages = posts(forumPosts[0]?.id as string);
    expect(messages).toHaveLength(3);
    expect(visible(messages[0] as APIMessage)).toMatch(/2 events/);
    expect(messages.slice(1).some((m) => /Kursk/.test(visible(m)))).toBe(true);
    for (const m of messages) expectWithinLimits(m);
  });

  it('without the Message Content intent, asks the gateway for guild events only, and the button still answers', async () => {
    await start(TEXT_CHANNEL_ID, { DISCORD_MESSAGE_CONTENT: 'false' });
    expect(discord.lastIntents).toBe(GatewayIntentBits.Guilds);
    await briefNow();
    const thread = briefThreads()[0]?.id as string;
    const kursk = posts(thread).find((m) => /Kursk/.test(visible(m))) as APIMessage;
    const customId = sourcesButtonId(kursk);
    const before = posts(thread).length;
    discord.clickButton({ customId, message: kursk });
    await waitUntil(() => posts(thread).length === before + 1);
  });
});

describe('Discord: commands and sources', () => {
  it('/brief typed in a thread or a forum post posts the brief there, and says so', async () => {
    await start();
    await h.bot.cycle();
    const thread = discord.createUserThread({ parentId: TEXT_CHANNEL_ID, name: 'Kursk chat' });
    const inThread = discord.sendSlashCommand({ name: 'brief', options: { topic: 'kursk' }, channelId: thread.id });
    const edit = await discord.waitForCall('PATCH', new RegExp(`/webhooks/${APPLICATION_ID}/${inThread.token}/messages/@original`));
    expect(JSON.stringify(edit.body)).toMatch(/Posting a brief on “kursk” in this thread: 1 event/);
    await waitUntil(() => posts(thread.id).length === 2);
    expect(visible(posts(thread.id)[1] as APIMessage)).toMatch(/Kursk/);
    // Nothing in the channel itself, no new thread.
    expect(posts(TEXT_CHANNEL_ID)).toHaveLength(0);
    expect(briefThreads().map((t) => t.id)).toEqual([thread.id]);

    const post = discord.createUserThread({ parentId: FORUM_CHANNEL_ID, name: 'What happened in Kursk?', message: 'Anyone?' });
    const inPost = discord.sendSlashCommand({ name: 'brief', options: { topic: 'kursk' }, channelId: post.id });
    const edit2 = await discord.waitForCall('PATCH', new RegExp(`/webhooks/${APPLICATION_ID}/${inPost.token}/messages/@original`));
    expect(JSON.stringify(edit2.body)).toMatch(/in this thread/);
    await waitUntil(() => posts(post.id).length === 2);
    expect(discord.threads(FORUM_CHANNEL_ID).map((t) => t.id)).toEqual([post.id]);
  });

  it('answers /sources in the thread with the sources of every event in it', async () => {
    // The Sources button and a "sources" message: the shared platform suite (test/integration/platforms).
    await start();
    await briefNow();
    const thread = briefThreads()[0]?.id as string;
    const count = posts(thread).length;
    discord.sendSlashCommand({ name: 'sources', channelId: thread });
    await waitUntil(() => posts(thread).length === count + 1);
    const fromCommand = visible(posts(thread).at(-1) as APIMessage);
    expect(fromCommand).toContain(`${feeds.url}/a/kursk-2`);
    expect(fromCommand).toContain(`${feeds.url}/a/flood-2`);
  });

  it('registers /brief and /sources in a server with `briefbot discord register-commands --guild`', async () => {
    const run = await runBriefbot(['discord', 'register-commands', '--guild', GUILD_ID], { cwd: tempDir('register'), env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Registered \/brief, \/sources in server/);
    const commands = discord.commands(GUILD_ID);
    expect(commands.map((c) => c.name).sort()).toEqual(['brief', 'sources']);
    const brief = commands.find((c) => c.name === 'brief');
    expect(brief?.options?.[0]).toMatchObject({ name: 'topic', required: true });
  });
});

describe('Discord: rate limits, failures and the gateway', () => {
  it('survives a 429 and posts the brief once', async () => {
    await start();
    discord.failNext('POST', POST_MESSAGE, { status: 429, retryAfter: 0.5 });
    await briefNow();
    expect(posts(TEXT_CHANNEL_ID)).toHaveLength(1);
    expect(posts(briefThreads()[0]?.id as string)).toHaveLength(2);
  });

  it('keeps the brief through an outage, then posts it once, in order', async () => {
    await start();
    discord.failNext('POST', POST_MESSAGE, { status: 503, times: 3 });
    await briefNow();
    expect(posts(TEXT_CHANNEL_ID)).toHaveLength(0);
    expect(h.store.deliveries.countPending()).toBe(3);
    for (let i = 0; i < 6 && h.store.deliveries.countPending() > 0; i++) {
      clock.advance(10 * 60_000);
      await h.bot.deliverer.run();
    }
    expect(posts(TEXT_CHANNEL_ID)).toHaveLength(1);
    const thread = briefThreads()[0]?.id as string;
    expect(posts(thread)).toHaveLength(2);
  });

  it('posts the brief over REST while the gateway cannot be reached, and says it is not connected', async () => {
    discord.failNext('GET', /^\/gateway\/bot$/, { status: 503, times: 1000 });
    const urls = serveStories(feeds, [...KURSK, ...FLOOD_SAME_DAY]);
    const config = writeAndLoadConfig(
      tempDir('discord-gw'),
      urls,
      { channels: [{ platform: 'discord', id: TEXT_CHANNEL_ID, name: '#briefs', schedule: '0 8 * * *' }] },
      env(),
    );
    h = await startHarness(config, clock, undefined, { platformRetryMs: 60_000 });
    // At first a notice; five minutes on, something for an operator to look at.
    expect(h.bot.health().notices).toContain('discord is reconnecting');
    expect(h.bot.health().problems).toEqual([]);
    clock.advance(5 * 60_000);
    expect(h.bot.health().problems).toContain('discord cannot be reached at start (retrying)');
    await briefNow();
    expect(posts(TEXT_CHANNEL_ID)).toHaveLength(1);
    expect(posts(briefThreads()[0]?.id as string)).toHaveLength(2);
    expect(h.store.deliveries.countFailed()).toBe(0);
  });

  it('after a dropped gateway connection, resumes and still answers /brief', async () => {
    await start();
    await h.bot.cycle();
    const resumed = discord.nextGatewayReady();
    discord.disconnectGateway(4000);
    expect(await resumed).toBe('resumed');
    const interaction = discord.sendSlashCommand({ name: 'brief', options: { topic: 'kursk' } });
    const edit = await discord.waitForCall('PATCH', new RegExp(`/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original`));
    expect(JSON.stringify(edit.body)).toMatch(/Posting a brief/);
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
