/**
 * The bot answers while it works: a `/brief` sent while the real bot clusters a large first poll is
 * acknowledged within Slack's 3 seconds (a functional check with a generous margin; the speed figures
 * are in `npm run bench`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackPlatform } from '../../../src/platforms/slack/index.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { createSlackRequester } from '../../fakes/slack-requests.ts';
import { type Harness, manualClock, serveStories, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import type { Story } from '../../helpers/stories.ts';
import { generateNews } from '../../helpers/synthetic-news.ts';

const SECRET = 'responsive-signing-secret';
const CHANNEL = 'C0BUSY';

let feeds: FakeFeedServer;
let slack: FakeSlackApi;
let h: Harness | undefined;

beforeEach(async () => {
  feeds = await startFakeFeedServer();
  slack = await startFakeSlackApi();
});
afterEach(async () => {
  await h?.close();
  await slack.close();
  await feeds.close();
});

describe('Slack: the bot answers while it works', () => {
  it('acknowledges /brief within 3 s while it clusters a large first poll', { timeout: 120_000 }, async () => {
    const stories: Story[] = generateNews({ articles: 4000, outlets: 40 }).map((a) => ({
      id: a.id,
      title: a.title,
      text: a.paragraphs.join('\n'),
      outlet: a.outlet,
      publishedAt: a.publishedAt,
    }));
    const urls = serveStories(feeds, stories);
    const config = writeAndLoadConfig(
      tempDir('busy'),
      urls,
      { channels: [{ platform: 'slack', id: CHANNEL, name: '#busy', schedule: '0 8 * * *' }], slack: { mode: 'http' } },
      { SLACK_BOT_TOKEN: 'xoxb-busy', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
    );
    h = await startHarness(config, manualClock('2025-03-04T12:00:00Z'));
    const port = (h.platforms.get('slack') as SlackPlatform).httpPort;
    const requester = createSlackRequester({ url: `http://127.0.0.1:${port}`, signingSecret: SECRET, responseUrl: slack.responseUrl });

    const cycle = h.bot.cycle();
    // Wait until the poll is stored and clustering is under way (some articles assigned, not all).
    const store = h.store;
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      const total = store.articles.count();
      const left = store.articles.listUnclustered({ limit: 1 }).length;
      if (total >= stories.length && left === 1 && store.events.listLatest(1).length > 0) break;
    }
    const started = Date.now();
    const res = await requester.slashCommand({ command: '/brief', text: 'flood', channel_id: CHANNEL, user_id: 'U1' });
    const acknowledgedIn = Date.now() - started;
    expect(res.status).toBe(200);
    expect(acknowledgedIn).toBeLessThan(3_000);
    // Still clustering when it answered: the check measured what it means to.
    expect(store.articles.listUnclustered({ limit: 1 })).toHaveLength(1);
    await cycle;
    expect(store.articles.listUnclustered({ limit: 1 })).toHaveLength(0);
  });
});
