/**
 * The webhook platform end to end: the real bot (config, SQLite, polling, clustering, briefs, the
 * ledger) posting to a real HTTP receiver on loopback. The webhook is registered through the platform
 * registry alone, so this also shows that a platform needs nothing outside its folder and that line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '../../../src/config/load-config.ts';
import type { WebhookBody } from '../../../src/platforms/webhook/index.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeWebhook, type ReceivedPost, startFakeWebhook } from '../../fakes/fake-webhook.ts';
import {
  type Clock,
  type Harness,
  manualClock,
  serveStories,
  startHarness,
  tempDir,
  writeAndLoadConfig,
} from '../../helpers/bot-harness.ts';
import { KURSK, KURSK_LATER } from '../../helpers/kursk-stories.ts';
import { BRIDGE, FLOOD, type Story } from '../../helpers/stories.ts';

/** The bridge reports, moved to the evening of the same day: news that arrives after the first brief. */
const BRIDGE_SAME_DAY: Story[] = BRIDGE.map((s, i) => ({ ...s, publishedAt: `2025-04-26T1${5 + i}:10:00Z` }));

/** The flood, moved to the same day as the Kursk reports: a second event in the same brief. */
const FLOOD_SAME_DAY: Story[] = FLOOD.map((s, i) => ({ ...s, publishedAt: `2025-04-26T0${7 + i}:30:00Z` }));

let feeds: FakeFeedServer;
let webhook: FakeWebhook;
let clock: Clock;
let h: Harness;

async function start(section: Record<string, unknown> = {}): Promise<void> {
  const urls = serveStories(feeds, [...KURSK, ...FLOOD_SAME_DAY], ['The Meridian Post']);
  const config = writeAndLoadConfig(
    tempDir('webhook'),
    urls,
    {
      channels: [{ platform: 'webhook', name: 'ops-feed', schedule: '0 8 * * *' }],
      bot: { updates: { minInterval: '1m' } },
      webhook: section,
    },
    { WEBHOOK_URL: webhook.url },
  );
  h = await startHarness(config, clock);
}

function channelSpec(): ChannelSpec {
  const c = h.config.channels[0];
  if (!c) throw new Error('no channel configured');
  return c;
}

async function briefNow(): Promise<void> {
  await h.bot.cycle();
  await h.bot.briefChannel(channelSpec());
}

/** Runs the deliverer's retry loop as the clock moves on, until nothing is pending (or `rounds` runs). */
async function retryUntilDone(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds && h.store.deliveries.countPending() > 0; i++) {
    clock.advance(10 * 60_000);
    await h.bot.deliverer.run();
  }
}

const body = (p: ReceivedPost): WebhookBody => p.json as WebhookBody;

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  webhook = await startFakeWebhook();
  clock = manualClock('2025-04-26T20:00:00Z');
});

afterEach(async () => {
  await h?.close();
  await webhook.close();
  await feeds.close();
});

describe('webhook: the scheduled brief', () => {
  it('posts the brief as JSON, one request per part, each with its own idempotency key, and nothing twice', async () => {
    await start();
    expect([...h.platforms.keys()]).toEqual(['webhook']);
    expect(channelSpec()).toMatchObject({ platform: 'webhook', deliveredVia: 'webhook', name: 'ops-feed' });
    await briefNow();

    const posts = webhook.received;
    expect(posts.map((p) => body(p).kind)).toEqual(['parent', 'event', 'event']);
    expect(new Set(posts.map((p) => p.key)).size).toBe(3);
    for (const p of posts) {
      expect(p.headers['content-type']).toBe('application/json');
      expect(body(p).key).toBe(p.key);
      expect(body(p).channel).toBe(channelSpec().id);
    }
    // The parent opens the brief; its parts name it as their thread.
    const [parent, ...events] = posts as [ReceivedPost, ...ReceivedPost[]];
    expect(body(parent).thread).toBeNull();
    expect(body(parent).text).toMatch(/2 events/);
    for (const e of events) {
      expect(body(e).thread).toBe(parent.key);
      expect(e.headers['x-briefbot-thread']).toBe(parent.key);
    }
    const kursk = events.find((e) => /Kursk/.test(body(e).text));
    expect(kursk).toBeDefined();
    expect(body(kursk as ReceivedPost).text).toContain(`${feeds.url}/a/kursk-2`);
    expect(body(kursk as ReceivedPost).content).toMatchObject({ kind: 'event', index: expect.any(Number) });

    // The next scheduled brief has nothing new to say: nothing is posted again.
    clock.advance(60_000);
    await h.bot.briefChannel(channelSpec());
    expect(webhook.received).toHaveLength(3);
  });

  it("sends an event's new articles as one update under the brief's thread", async () => {
    await start();
    await briefNow();
    const parentKey = webhook.received[0]?.key;

    serveStories(feeds, [KURSK_LATER]);
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    const update = webhook.received.at(-1) as ReceivedPost;
    expect(webhook.received).toHaveLength(4);
    expect(body(update).kind).toBe('update');
    expect(body(update).thread).toBe(parentKey);
    expect(body(update).text).toMatch(/Update on: .*Kursk/);
    expect(body(update).text).toContain(`${feeds.url}/a/kursk-4`);

    // The same news polled again makes no second update.
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    expect(webhook.received).toHaveLength(4);
  });

  it('plans a slot already briefed no more, and what came since goes in the next brief', async () => {
    await start();
    await h.bot.cycle();
    const slot = clock.now();
    await h.bot.briefChannel(channelSpec(), slot);
    expect(webhook.received).toHaveLength(3);

    // A new event, then the same slot asked for again (another instance on a shared database does so).
    serveStories(feeds, BRIDGE_SAME_DAY);
    clock.advance(10 * 60_000);
    await h.bot.cycle();
    clock.advance(60_000);
    await h.bot.briefChannel(channelSpec(), slot);
    expect(webhook.received).toHaveLength(3);

    // The next slot's brief carries it: asking for the old slot did not mark the channel as briefed.
    clock.advance(60_000);
    await h.bot.briefChannel(channelSpec(), clock.now());
    const later = webhook.received.slice(3).map((p) => body(p));
    expect(later.map((b) => b.kind)).toEqual(['parent', 'event']);
    expect(later[1]?.text).toMatch(/bridge/i);
  });

  it('posts plain text when the config asks for it', async () => {
    await start({ format: 'text' });
    await briefNow();
    expect(webhook.received).toHaveLength(3);
    expect(webhook.received[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(webhook.received[0]?.json).toBeNull();
    expect(webhook.received[0]?.body).toMatch(/^News brief · .* · 2 events/);
  });
});

describe('webhook: failures, through the ledger', () => {
  it('keeps the brief through an outage, then posts each part once, in order, under the same keys', async () => {
    await start();
    webhook.failNext(503, { times: 2 });
    await briefNow();
    expect(webhook.deliveries()).toHaveLength(0);
    expect(h.store.deliveries.countPending()).toBe(3);

    await retryUntilDone();
    expect(h.store.deliveries.countPending()).toBe(0);
    const delivered = webhook.deliveries();
    expect(delivered.map((p) => body(p).kind)).toEqual(['parent', 'event', 'event']);
    // The failed attempts were of the parent, and were sent again under its key.
    const failed = webhook.received.filter((p) => p.status === 503);
    expect(failed).toHaveLength(2);
    for (const f of failed) expect(f.key).toBe(delivered[0]?.key);
  });

  it('sends a part whose answer was lost again with the same key: a receiver that honours it shows it once', async () => {
    await start();
    webhook.dropNextAnswer();
    await briefNow();
    await retryUntilDone();

    expect(h.store.deliveries.countPending()).toBe(0);
    expect(webhook.deliveries().map((p) => body(p).kind)).toEqual(['parent', 'event', 'event']);
    // The parent reached the receiver twice (the limit of a webhook: it cannot be asked what it has).
    const parentKey = webhook.deliveries()[0]?.key;
    expect(webhook.received.filter((p) => p.key === parentKey)).toHaveLength(2);
  });

  it('holds a rate-limited part for as long as the receiver asks', async () => {
    await start();
    webhook.failNext(429, { retryAfter: 120 });
    await briefNow();
    expect(h.store.deliveries.countPending()).toBe(3);
    await h.bot.deliverer.run();
    expect(webhook.received).toHaveLength(1);
    await retryUntilDone();
    expect(webhook.deliveries()).toHaveLength(3);
  });
});
