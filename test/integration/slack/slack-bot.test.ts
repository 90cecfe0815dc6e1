/**
 * The Slack side of briefbot end to end: the real bot (config, SQLite, polling, clustering, briefs)
 * and the real @slack/bolt App in HTTP mode, talking to a fake Slack Web API on loopback and receiving
 * requests signed as Slack signs them. The scenarios every platform shares (the brief's parent and thread,
 * updates, /brief, sources in a thread, the Sources button) are in the shared platform suite
 * (test/integration/platforms); this file keeps what is Slack's own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '../../../src/config/load-config.ts';
import type { SlackPlatform } from '../../../src/platforms/slack/index.ts';
import { startHealthServer } from '../../../src/runtime/http-server.ts';
import { createLogger, type Logger } from '../../../src/shared/logger.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import type { SlackRequester } from '../../fakes/slack-requests.ts';
import { type Clock, type Harness, manualClock, serveStories, startHarness } from '../../helpers/bot-harness.ts';
import { KURSK, KURSK_LATER } from '../../helpers/kursk-stories.ts';
import { FLOOD, type Story } from '../../helpers/stories.ts';
import {
  SLACK_CHANNEL as CHANNEL,
  SLACK_SECRET as SECRET,
  slackRequesterFor,
  slackVisible as visible,
  writeSlackConfig,
} from '../platforms/slack-harness.ts';

/** The flood, moved to the same day as the Kursk reports: a second event in the same brief. */
const FLOOD_SAME_DAY: Story[] = FLOOD.map((s, i) => ({ ...s, publishedAt: `2025-04-26T0${7 + i}:30:00Z` }));

let feeds: FakeFeedServer;
let slack: FakeSlackApi;
let clock: Clock;
let h: Harness;
let requester: SlackRequester;

async function start(extra: Record<string, unknown> = {}, logger?: Logger, platformRetryMs?: number): Promise<void> {
  const urls = serveStories(feeds, [...KURSK, ...FLOOD_SAME_DAY], ['The Meridian Post']);
  h = await startHarness(writeSlackConfig(urls, slack, extra), clock, logger, platformRetryMs ? { platformRetryMs } : {});
  const signed = slackRequesterFor(h, slack);
  if (signed) requester = signed;
}

function channelSpec(): ChannelSpec {
  const c = h.config.channels[0];
  if (!c) throw new Error('no channel configured');
  return c;
}

const topLevel = (): FakeMessage[] => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const repliesTo = (parent: FakeMessage): FakeMessage[] => slack.thread(CHANNEL, parent.ts).slice(1);

function metadataKey(m: FakeMessage): string | undefined {
  const key = m.metadata?.event_payload.key;
  return typeof key === 'string' ? key : undefined;
}

async function briefNow(): Promise<void> {
  await h.bot.cycle();
  await h.bot.briefChannel(channelSpec());
}

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  slack = await startFakeSlackApi();
  clock = manualClock('2025-04-26T20:00:00Z');
});

afterEach(async () => {
  await h?.close();
  await slack.close();
  await feeds.close();
});

describe('Slack: the scheduled brief', () => {
  // Its parent, threads and updates: the shared platform suite (test/integration/platforms).
  it('never unfurls the article links and tags every message with its delivery key', async () => {
    await start();
    await briefNow();
    expect(slack.messages(CHANNEL)).toHaveLength(3);
    // Slack never unfurls the article links into big previews, and every message is tagged with its delivery key.
    for (const call of slack.callsTo('chat.postMessage')) expect(call.args.unfurl_links).toBe('false');
    expect(new Set(slack.messages(CHANNEL).map(metadataKey)).size).toBe(3);
  });
});

describe('Slack: threads and updates over time', () => {
  it('keeps answering sources in the scheduled thread after /brief posted the same event in a thread of its own', async () => {
    await start();
    await briefNow();
    const scheduled = topLevel()[0] as FakeMessage;
    await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' });
    await slack.waitFor(
      () => topLevel().length === 2 && repliesTo(topLevel()[1] as FakeMessage).length === 1,
      5_000,
      'the on-demand brief',
    );
    const before = repliesTo(scheduled).length;
    await requester.message({ channel: CHANNEL, user: 'U2', text: 'sources 1', thread_ts: scheduled.ts });
    await slack.waitFor(() => repliesTo(scheduled).length === before + 1, 5_000, 'the sources reply');
    const first = visible(repliesTo(scheduled)[0] as FakeMessage);
    const answer = visible(repliesTo(scheduled).at(-1) as FakeMessage);
    expect(answer).toContain(/Kursk/.test(first) ? `${feeds.url}/a/kursk-1` : `${feeds.url}/a/flood-1`);

    // The event's news still goes to the scheduled thread, once.
    serveStories(feeds, [KURSK_LATER]);
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    const updates = slack.messages(CHANNEL).filter((m) => /Update/.test(visible(m)));
    expect(updates).toHaveLength(1);
    expect(updates[0]?.thread_ts).toBe(scheduled.ts);
  });

  it('does not post the same news twice when an update waits out an outage and more news arrives', async () => {
    await start();
    await briefNow();
    const parent = topLevel()[0] as FakeMessage;
    slack.down(true);
    serveStories(feeds, [KURSK_LATER]);
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    serveStories(feeds, [
      KURSK_LATER,
      {
        ...KURSK_LATER,
        id: 'kursk-5',
        title: 'Kursk: Moscow and Kyiv trade claims over border villages',
        publishedAt: '2025-04-26T20:10:00Z',
        text: 'Fighting continued near border villages in the Kursk region on Saturday night, Ukrainian officials said, disputing the Kremlin’s statement that the incursion was over.\nRussia’s defence ministry said its troops had cleared the last Ukrainian positions in the Kursk region.\nPresident Vladimir Putin thanked North Korean soldiers for their part in the Kursk fighting.',
      },
    ]);
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    slack.down(false);
    clock.advance(40 * 60_000);
    await h.bot.deliverer.run();
    const updates = repliesTo(parent).filter((m) => /Update/.test(visible(m)));
    expect(updates).toHaveLength(1);
    expect(visible(updates[0] as FakeMessage)).toContain(`${feeds.url}/a/kursk-4`);
    // The news that arrived meanwhile comes in the next update.
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    await h.bot.deliverer.run();
    const later = repliesTo(parent).filter((m) => /Update/.test(visible(m)));
    expect(later).toHaveLength(2);
    expect(later.filter((m) => visible(m).includes(`${feeds.url}/a/kursk-4`))).toHaveLength(1);
    expect(visible(later[1] as FakeMessage)).toContain(`${feeds.url}/a/kursk-5`);
  });

  it('starts while Slack is down, keeps polling and queueing, and posts once Slack is back', async () => {
    slack.down(true);
    await start({}, undefined, 50);
    await briefNow();
    expect(h.store.deliveries.countPending()).toBe(3);
    // An outage is a notice at first, then (five minutes on, messages still waiting) a problem.
    expect(h.bot.health()).toMatchObject({ status: 'ok', problems: [] });
    expect(h.bot.health().notices).toContain('slack is reconnecting');
    clock.advance(5 * 60_000);
    expect(h.bot.health()).toMatchObject({ status: 'degraded' });
    expect(h.bot.health().problems).toContain('slack cannot be reached at start (retrying)');
    slack.down(false);
    await slack.waitFor(() => (h.platforms.get('slack') as SlackPlatform).httpPort !== null, 5_000, 'the Slack app to start');
    clock.advance(60 * 60_000);
    await h.bot.deliverer.run();
    expect(topLevel()).toHaveLength(1);
    expect(slack.messages(CHANNEL)).toHaveLength(3);
  });
});

describe('Slack: /brief', () => {
  it('/brief in a private channel or a DM the bot is not in shows the brief to the asker alone, and says why', async () => {
    await start();
    await h.bot.cycle();
    // A private channel the bot was not invited to, and a DM between two people (unknown to the bot).
    slack.setChannels([CHANNEL, { id: 'G0PRIVATE', is_private: true, member: false }]);
    for (const channel of ['G0PRIVATE', 'D0SOMEONE']) {
      const before = slack.responses.length;
      const res = await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: channel, user_id: 'U1' });
      expect(res.status).toBe(200);
      await slack.waitFor(() => slack.responses.length === before + 1, 5_000, 'the ephemeral brief');
      const body = slack.responses[before]?.body as { response_type?: string; text?: string; blocks?: unknown[] };
      expect(body.response_type).toBe('ephemeral');
      expect(visible(body)).toMatch(/I can't post in this conversation — I'm not a member of it/);
      expect(visible(body)).toMatch(/invite me/);
      expect(visible(body)).toMatch(/Kursk/);
    }
    await h.bot.deliverer.run();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.store.deliveries.countPending()).toBe(0);
  });

  it('rejects a request with a bad signature and does nothing', async () => {
    await start();
    await h.bot.cycle();
    const res = await requester.slashCommand(
      { command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' },
      { signature: 'bad' },
    );
    expect(res.status).toBe(401);
    const stale = await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' }, { stale: true });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.store.deliveries.countPending()).toBe(0);
  });

  it('listens for signed requests on all interfaces by default, or only where slack.host says', async () => {
    await start();
    expect((h.platforms.get('slack') as SlackPlatform).httpAddress).toBe('0.0.0.0');
    await h.close();
    await start({ slack: { mode: 'http', host: '127.0.0.1' } });
    expect((h.platforms.get('slack') as SlackPlatform).httpAddress).toBe('127.0.0.1');
    await h.bot.cycle();
    const res = await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' });
    expect(res.status).toBe(200);
  });
});

describe('Slack: sources in a briefing thread', () => {
  it('answers a request Slack delivers twice (a retry) once', async () => {
    await start();
    await briefNow();
    const parent = topLevel()[0] as FakeMessage;
    const before = repliesTo(parent).length;
    const ts = requester.nextTs();
    await requester.message({ channel: CHANNEL, user: 'U2', text: 'sources', thread_ts: parent.ts, ts });
    await requester.message(
      { channel: CHANNEL, user: 'U2', text: 'sources', thread_ts: parent.ts, ts },
      { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    );
    await slack.waitFor(() => repliesTo(parent).length === before + 1, 5_000, 'the sources reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo(parent)).toHaveLength(before + 1);
  });
});

describe('Slack: rate limits and outages', () => {
  it('waits out a 429 for as long as Slack asks, then posts the brief once, in order', async () => {
    await start();
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 40 });
    await briefNow();
    expect(slack.messages(CHANNEL)).toHaveLength(0);
    expect(h.store.deliveries.countPending()).toBe(3);
    // A rate limit is not trouble: /healthz stays 200 and says so in a notice.
    expect(h.bot.health()).toMatchObject({ status: 'ok', problems: [] });
    expect(h.bot.health().notices).toContain('slack asked briefbot to slow down');

    // Not before Retry-After…
    clock.advance(20_000);
    await h.bot.deliverer.run();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);

    // …then everything, once.
    clock.advance(25_000);
    await h.bot.deliverer.run();
    const parents = topLevel();
    expect(parents).toHaveLength(1);
    expect(repliesTo(parents[0] as FakeMessage)).toHaveLength(2);
    expect(h.store.deliveries.countPending()).toBe(0);
  });

  it('keeps the brief through an outage and posts it once Slack is back', async () => {
    await start();
    slack.down(true);
    await briefNow();
    for (let i = 0; i < 3; i++) {
      clock.advance(10 * 60_000);
      await h.bot.deliverer.run();
    }
    expect(slack.messages(CHANNEL)).toHaveLength(0);
    slack.down(false);
    clock.advance(31 * 60_000);
    await h.bot.deliverer.run();
    expect(topLevel()).toHaveLength(1);
    expect(slack.messages(CHANNEL)).toHaveLength(3);
  });

  it('joins a public channel it was not invited to, then posts', async () => {
    await start();
    slack.setChannels([{ id: CHANNEL, member: false }]);
    await briefNow();
    expect(slack.callsTo('conversations.join')).toHaveLength(1);
    expect(slack.messages(CHANNEL)).toHaveLength(3);
  });
});

describe('Slack: secrets', () => {
  it('never writes a token or the signing secret to the logs, even at debug level and on errors', async () => {
    const lines: string[] = [];
    await start({}, createLogger({ level: 'debug', write: (line) => lines.push(line) }));
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    slack.failNext('chat.postMessage', { error: 'invalid_blocks' });
    await briefNow();
    await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' }, { signature: 'bad' });
    clock.advance(60_000);
    await h.bot.deliverer.run();
    const log = lines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).toMatch(/delivery will be retried/);
    expect(log).not.toContain('xoxb-test');
    expect(log).not.toContain(SECRET);
  });
});

describe('health and metrics', () => {
  it('reports messages posted on /metrics, and on /healthz turns 503 when polling has stalled', async () => {
    await start();
    await briefNow();
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', metrics: h.metrics, health: () => h.bot.health() });
    try {
      const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      expect(metrics).toMatch(/briefbot_posts_total\{platform="slack"\} 3/);
      expect(metrics).toMatch(/briefbot_pending_deliveries 0/);
      const ok = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ status: 'ok', pendingDeliveries: 0, platforms: ['slack'] });
      expect((await fetch(`http://127.0.0.1:${server.port}/livez`)).status).toBe(200);
      clock.advance(11 * 60_000);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503);
      expect(await (await fetch(`http://127.0.0.1:${server.port}/readyz`)).json()).toMatchObject({
        status: 'degraded',
        problems: ['no poll has finished for 10 minutes'],
      });
      // Still alive (a restart would not help yet) until the poll loop has started nothing for 30 minutes.
      expect((await fetch(`http://127.0.0.1:${server.port}/livez`)).status).toBe(200);
      clock.advance(20 * 60_000);
      expect((await fetch(`http://127.0.0.1:${server.port}/livez`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
