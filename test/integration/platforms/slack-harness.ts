/**
 * @module Slack for the shared platform suite: the real @slack/bolt App in HTTP mode against the fake Slack Web
 * API, requests signed as Slack signs them. Also the Slack helpers the Slack-only tests use (what a reader sees
 * in a message, Slack's message limits).
 */
import { expect } from 'vitest';
import type { Config } from '../../../src/config/load-config.ts';
import type { SlackPlatform } from '../../../src/platforms/slack/index.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { createSlackRequester, type SlackRequester } from '../../fakes/slack-requests.ts';
import { type Clock, type Harness, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import type { ChatPlatformHarness } from './chat-platform-harness.ts';

export const SLACK_SECRET = 'test-signing-secret-0123';
export const SLACK_CHANNEL = 'C0NEWS';

/** Everything a reader sees in a message: the fallback text and every text in its blocks. */
export function slackVisible(m: FakeMessage | { text?: string; blocks?: unknown[] }): string {
  const out: string[] = [m.text ?? ''];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(m.blocks ?? []);
  return out.join('\n');
}

/** Slack's limits for a message: at most 50 blocks, section text at most 3,000 characters. */
export function expectWithinSlackLimits(m: FakeMessage): void {
  const blocks = (m.blocks ?? []) as Array<{ type: string; text?: { text: string } }>;
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  expect(m.text.length).toBeLessThanOrEqual(3000);
}

/** A requester that signs requests for the bot's HTTP port, or null while the app has not started. */
export function slackRequesterFor(h: Harness, slack: FakeSlackApi): SlackRequester | null {
  // Null while Slack could not be reached at start (the app starts once it can).
  const port = (h.platforms.get('slack') as SlackPlatform).httpPort;
  if (port === null) return null;
  return createSlackRequester({ url: `http://127.0.0.1:${port}`, signingSecret: SLACK_SECRET, responseUrl: slack.responseUrl });
}

/** The config of a bot with one Slack channel (briefs at 08:00 London time), in HTTP mode; `extra` adds or overrides sections. */
export function writeSlackConfig(feedUrls: readonly string[], slack: FakeSlackApi, extra: Record<string, unknown> = {}): Config {
  return writeAndLoadConfig(
    tempDir('slack'),
    feedUrls,
    {
      channels: [{ platform: 'slack', id: SLACK_CHANNEL, name: '#news', schedule: '0 8 * * *', timezone: 'Europe/London' }],
      bot: { updates: { minInterval: '1m' } },
      slack: { mode: 'http' },
      ...extra,
    },
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl },
  );
}

export function createSlackHarness(): ChatPlatformHarness<FakeMessage> {
  let slack: FakeSlackApi;
  let requester: SlackRequester | null = null;
  const topLevel = (): FakeMessage[] => slack.messages(SLACK_CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const repliesTo = (parent: FakeMessage): FakeMessage[] => slack.thread(SLACK_CHANNEL, parent.ts).slice(1);
  const signed = (): SlackRequester => {
    if (!requester) throw new Error('the Slack app has not started');
    return requester;
  };

  return {
    name: 'Slack',
    async setUp() {
      slack = await startFakeSlackApi();
    },
    async startBot(feedUrls: readonly string[], clock: Clock) {
      const h = await startHarness(writeSlackConfig(feedUrls, slack), clock);
      requester = slackRequesterFor(h, slack);
      return h;
    },
    async tearDown() {
      requester = null;
      await slack.close();
    },
    channelMessages: topLevel,
    allMessages: () => slack.messages(SLACK_CHANNEL),
    text: slackVisible,
    expectWithinLimits: expectWithinSlackLimits,
    wording: {
      briefHeading: (topic, events) => new RegExp(`Brief on “${topic}”: ${events} events?`),
      noMatch: (topic) => new RegExp(`Nothing in the recent news matched “${topic}”`),
    },
    threads: {
      replies: repliesTo,
      count: () => topLevel().filter((m) => repliesTo(m).length > 0).length,
    },
    slashCommands: {
      async brief(topic) {
        const before = slack.responses.length;
        const res = await signed().slashCommand({ command: '/brief', text: topic, channel_id: SLACK_CHANNEL, user_id: 'U1' });
        expect(res.status).toBe(200);
        await slack.waitFor(() => slack.responses.length > before, 5_000, 'the ephemeral answer');
        const body = slack.responses[before]?.body as { response_type?: string; text?: string; blocks?: unknown[] };
        return { text: slackVisible(body), private: body.response_type === 'ephemeral' };
      },
    },
    threadMessages: {
      async send(parent, text) {
        await signed().message({ channel: SLACK_CHANNEL, user: 'U2', text, thread_ts: parent.ts });
      },
    },
    sourcesButton: {
      async click(parent, event) {
        const button = JSON.stringify(event.blocks).match(/"action_id":"briefbot_sources","value":"([^"]+)"/);
        expect(button).not.toBeNull();
        const res = await signed().blockAction({
          action_id: 'briefbot_sources',
          value: button?.[1] as string,
          channel_id: SLACK_CHANNEL,
          message_ts: event.ts,
          thread_ts: parent.ts,
          user_id: 'U3',
        });
        expect(res.status).toBe(200);
      },
    },
    findsPostedMessages: true,
  };
}
