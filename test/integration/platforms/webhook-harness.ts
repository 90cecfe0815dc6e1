/**
 * @module The webhook for the shared platform suite: the real bot posting to the fake webhook receiver over
 * HTTP on loopback. The webhook is outbound only (no commands, thread messages or buttons come back), so the
 * suite runs its outbound scenarios: the threaded brief, updates in an event's thread, and a crash between
 * posting and recording. A "thread" here is what the JSON body says: each part names its brief's first
 * message by that message's key. The receiver honours `Idempotency-Key` (as the adapter's module comment
 * requires for "nothing twice"), so "what the channel shows" is each key's first accepted request.
 */
import { expect } from 'vitest';
import type { WebhookBody } from '../../../src/platforms/webhook/index.ts';
import { type FakeWebhook, type ReceivedPost, startFakeWebhook } from '../../fakes/fake-webhook.ts';
import { type Clock, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import type { ChatPlatformHarness } from './chat-platform-harness.ts';

const body = (p: ReceivedPost): WebhookBody => p.json as WebhookBody;

export function createWebhookHarness(): ChatPlatformHarness<ReceivedPost> {
  let webhook: FakeWebhook;
  const shown = (): ReceivedPost[] => webhook.deliveries();
  const topLevel = (): ReceivedPost[] => shown().filter((p) => body(p).thread === null);
  const repliesTo = (parent: ReceivedPost): ReceivedPost[] => shown().filter((p) => body(p).thread === parent.key);

  return {
    name: 'webhook',
    async setUp() {
      webhook = await startFakeWebhook();
    },
    startBot(feedUrls: readonly string[], clock: Clock) {
      const config = writeAndLoadConfig(
        tempDir('webhook'),
        feedUrls,
        {
          channels: [{ platform: 'webhook', name: 'ops-feed', schedule: '0 8 * * *', timezone: 'Europe/London' }],
          bot: { updates: { minInterval: '1m' } },
        },
        { WEBHOOK_URL: webhook.url },
      );
      return startHarness(config, clock);
    },
    tearDown: () => webhook.close(),
    channelMessages: topLevel,
    allMessages: shown,
    text: (p) => body(p).text,
    expectWithinLimits(p) {
      // No platform limit on length; what a receiver relies on is a well-formed body naming its delivery.
      expect(p.headers['content-type']).toBe('application/json');
      expect(body(p).key).toBe(p.key);
      expect(body(p).text.length).toBeGreaterThan(0);
    },
    wording: {
      // Unused: the webhook has no /brief. The console's wording, for completeness.
      briefHeading: (topic, events) => new RegExp(`Brief on “${topic}”: ${events} events?`),
      noMatch: (topic) => new RegExp(`Nothing in the recent news matched “${topic}”`),
    },
    threads: {
      replies: repliesTo,
      count: () => topLevel().filter((p) => repliesTo(p).length > 0).length,
    },
    // An attempt left in doubt is sent again under the same key, and the receiver shows it once.
    findsPostedMessages: true,
  };
}
