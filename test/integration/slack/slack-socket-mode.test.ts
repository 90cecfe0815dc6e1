/**
 * Socket Mode, the default: the real bot and Bolt app connect to a fake Slack Socket Mode endpoint,
 * answer /brief and "sources" delivered over the socket, and survive the socket dropping while the
 * Slack API is down (no crash, no unhandled rejection: they reconnect once Slack is back).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { type FakeSlackSocket, startFakeSlackSocket } from '../../fakes/fake-slack-socket.ts';
import {
  type Clock,
  type Harness,
  manualClock,
  serveStories,
  startHarness,
  tempDir,
  writeAndLoadConfig,
} from '../../helpers/bot-harness.ts';
import { KURSK } from '../../helpers/kursk-stories.ts';

const CHANNEL = 'C0SOCKET';
const APP_TOKEN = 'xapp-1-socket-test';

let feeds: FakeFeedServer;
let slack: FakeSlackApi;
let socket: FakeSlackSocket;
let clock: Clock;
let h: Harness;

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  slack = await startFakeSlackApi();
  socket = await startFakeSlackSocket(slack, { appToken: APP_TOKEN, pingIntervalMs: 200 });
  clock = manualClock('2025-04-26T20:00:00Z');
  const config = writeAndLoadConfig(
    tempDir('socket'),
    serveStories(feeds, KURSK),
    { channels: [{ platform: 'slack', id: CHANNEL, schedule: '0 8 * * *' }] },
    { SLACK_BOT_TOKEN: 'xoxb-socket-test', SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack.apiUrl },
  );
  expect(config.slack?.mode).toBe('socket');
  h = await startHarness(config, clock, undefined, { slackSocket: { reconnectMs: 100, pingTimeoutMs: 500 } });
  await socket.waitForConnection(1, 5_000);
});

afterEach(async () => {
  await h?.close();
  await socket.close();
  await slack.close();
  await feeds.close();
});

const topLevel = (): FakeMessage[] => slack.messages(CHANNEL).filter((m) => !m.thread_ts || m.thread_ts === m.ts);

describe('Slack Socket Mode', () => {
  it('answers /brief delivered over the socket, acknowledged at once', async () => {
    await h.bot.cycle();
    const ack = await socket.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' });
    expect(ack.envelope_id).toBeTruthy();
    await slack.waitFor(
      () => topLevel().length === 1 && slack.thread(CHANNEL, (topLevel()[0] as FakeMessage).ts).length === 2,
      5_000,
      'the brief',
    );
    await slack.waitFor(() => slack.responses.length === 1, 5_000, 'the ephemeral answer');
    expect(JSON.stringify(slack.responses[0]?.body)).toMatch(/Posting a brief on “kursk”/);
  });

  it('reconnects by itself after the socket drops while Slack is down, and answers again', { timeout: 30_000 }, async () => {
    await h.bot.cycle();
    slack.down(true);
    socket.drop();
    // Down for longer than the Socket Mode client's own retries last.
    await new Promise((r) => setTimeout(r, 4_500));
    expect(socket.connected()).toBe(false);
    expect(h.bot.health().notices).toContain('slack is reconnecting');
    clock.advance(5 * 60_000);
    expect(h.bot.health().problems).toContain('slack has been disconnected for 5 minutes (reconnecting)');
    slack.down(false);
    await socket.waitForConnection(2, 10_000);
    await slack.waitFor(() => h.platforms.get('slack')?.connected() === true, 5_000, 'the platform to see the socket up');
    expect(h.bot.health().problems).toEqual([]);
    await socket.slashCommand({ command: '/brief', text: 'kursk', channel_id: CHANNEL, user_id: 'U1' });
    await slack.waitFor(() => topLevel().length === 1, 5_000, 'the brief after reconnecting');
  });

  it('stopping while a reconnect waits on Slack leaves no socket open', { timeout: 30_000 }, async () => {
    const release = slack.hold('apps.connections.open');
    socket.drop();
    await slack.waitForCalls('apps.connections.open', 2, 5_000);
    await h.close();
    release();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(socket.connected()).toBe(false);
  });
});
