/**
 * @module The scenarios every chat platform must pass, end to end: the real bot (config, SQLite, polling,
 * clustering, briefs) and the platform's real client library against its fake server, through a
 * ChatPlatformHarness (chat-platform-harness.ts). A scenario that needs a capability the platform lacks is skipped.
 * What only one platform does (Slack's signed requests, Discord's forum channels…) stays in that platform's own
 * test file.
 */
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSpec } from '../../../src/config/load-config.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type Clock, type Harness, manualClock, serveStories } from '../../helpers/bot-harness.ts';
import { KURSK, KURSK_LATER } from '../../helpers/kursk-stories.ts';
import { FLOOD, type Story } from '../../helpers/stories.ts';
import type { ChatPlatformHarness } from './chat-platform-harness.ts';

/** The flood, moved to the same day as the Kursk reports: a second event in the same brief. */
const FLOOD_SAME_DAY: Story[] = FLOOD.map((s, i) => ({ ...s, publishedAt: `2025-04-26T0${7 + i}:30:00Z` }));

/** Polls until `predicate` holds. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function describeChatPlatform<M>(platform: ChatPlatformHarness<M>): void {
  let feeds: FakeFeedServer;
  let clock: Clock;
  let h: Harness | undefined;

  /** The bot on the Kursk reports and the flood (two events), with an empty feed for later news. */
  async function start(): Promise<Harness> {
    const urls = serveStories(feeds, [...KURSK, ...FLOOD_SAME_DAY], ['The Meridian Post']);
    h = await platform.startBot(urls, clock);
    return h;
  }

  function channelSpec(bot: Harness): ChannelSpec {
    const c = bot.config.channels[0];
    if (!c) throw new Error('no channel configured');
    return c;
  }

  async function briefNow(bot: Harness): Promise<void> {
    await bot.bot.cycle();
    await bot.bot.briefChannel(channelSpec(bot));
  }

  const text = (m: M): string => platform.text(m);
  const url = (id: string): string => `${feeds.url}/a/${id}`;

  beforeEach(async () => {
    feeds = await startFakeFeedServer();
    await platform.setUp();
    clock = manualClock('2025-04-26T20:00:00Z');
  });

  afterEach(async () => {
    await h?.close();
    h = undefined;
    await platform.tearDown();
    await feeds.close();
  });

  const threads = platform.threads;

  describe(`${platform.name}: the scheduled brief (shared platform suite)`, () => {
    it.skipIf(!threads)('posts one parent message and one thread reply per event, each within limits, and nothing twice', async () => {
      const bot = await start();
      await briefNow(bot);

      const parents = platform.channelMessages();
      expect(parents).toHaveLength(1);
      const parent = parents[0] as M;
      expect(text(parent)).toMatch(/2 events/);
      expect(text(parent)).toMatch(/Kursk/);
      expect(threads!.count()).toBe(1);

      const replies = threads!.replies(parent);
      expect(replies).toHaveLength(2);
      const kursk = replies.find((r) => /Kursk/.test(text(r)));
      expect(kursk).toBeDefined();
      const kurskText = text(kursk as M);
      // The disputed point a reader needs: Russia says all Ukrainian forces are out; Kyiv says its units still hold ground.
      expect(kurskText).toMatch(/What's disputed/);
      expect(kurskText).toMatch(/General Staff/);
      expect(kurskText).toMatch(/Gerasimov|Russia|Putin/);
      expect(kurskText).toMatch(/12,000/);
      // Its sources are links to the articles.
      expect(kurskText).toContain(url('kursk-2'));
      for (const m of [parent, ...replies]) platform.expectWithinLimits(m);
      if (process.env.SHOW_MESSAGES) for (const m of [parent, ...replies]) console.log(text(m), '\n----');

      // The next scheduled brief has nothing new to say: nothing is posted again.
      clock.advance(60_000);
      await bot.bot.briefChannel(channelSpec(bot));
      expect(platform.channelMessages()).toHaveLength(1);
      expect(platform.allMessages()).toHaveLength(3);
    });

    it.skipIf(!threads)("puts an event's new articles in that event's thread, not in a new post", async () => {
      const bot = await start();
      await briefNow(bot);
      const parent = platform.channelMessages()[0] as M;
      const before = threads!.replies(parent).length;

      serveStories(feeds, [KURSK_LATER]);
      clock.advance(10 * 60_000);
      await bot.bot.cycle();

      expect(platform.channelMessages()).toHaveLength(1);
      expect(threads!.count()).toBe(1);
      const replies = threads!.replies(parent);
      expect(replies).toHaveLength(before + 1);
      const update = replies.at(-1) as M;
      expect(text(update)).toMatch(/Update/);
      expect(text(update)).toMatch(/Meridian Post/);
      expect(text(update)).toContain(url('kursk-4'));

      // The same news polled again makes no second update.
      clock.advance(10 * 60_000);
      await bot.bot.cycle();
      expect(threads!.replies(parent)).toHaveLength(before + 1);
    });

    it.skipIf(!platform.findsPostedMessages)(
      'after a crash between posting and recording, finds the message it already posted instead of posting it again',
      async () => {
        const bot = await start();
        await briefNow(bot);
        const before = platform.allMessages().length;
        // The state a crash right after the platform accepted the message leaves: the ledger saw the attempt, not the answer.
        const db = new DatabaseSync(bot.config.store.path);
        db.exec("UPDATE deliveries SET state = 'pending', message_ref = NULL, posted_at = NULL, in_doubt = 1 WHERE key LIKE '%:event:2'");
        db.close();
        expect(bot.store.deliveries.countPending()).toBe(1);
        await bot.bot.deliverer.run();
        expect(platform.allMessages()).toHaveLength(before);
        expect(bot.store.deliveries.countPending()).toBe(0);
      },
    );
  });

  const commands = platform.slashCommands;

  describe(`${platform.name}: /brief (shared platform suite)`, () => {
    it.skipIf(!commands || !threads)(
      '/brief kursk answers the asker at once, then posts a threaded brief of the matching event in the channel',
      async () => {
        const bot = await start();
        await bot.bot.cycle();
        const answer = await commands!.brief('kursk');
        // The person who asked is told privately what is coming.
        expect(answer.private).toBe(true);
        expect(answer.text).toMatch(/Posting a brief on “kursk” in this channel: 1 event/);

        await waitUntil(
          () => platform.channelMessages().length === 1 && threads!.replies(platform.channelMessages()[0] as M).length === 1,
          'the on-demand brief',
        );
        expect(threads!.count()).toBe(1);
        const parent = platform.channelMessages()[0] as M;
        expect(text(parent)).toMatch(platform.wording.briefHeading('kursk', 1));
        const reply = threads!.replies(parent)[0] as M;
        expect(text(reply)).toMatch(/Kursk/);
        expect(text(reply)).not.toMatch(/Lisky/);
      },
    );

    it.skipIf(!commands)('/brief on a topic nobody reports answers only the asker, with the latest events, and posts nothing', async () => {
      const bot = await start();
      await bot.bot.cycle();
      const answer = await commands!.brief('volcano');
      expect(answer.private).toBe(true);
      expect(answer.text).toMatch(platform.wording.noMatch('volcano'));
      expect(answer.text).toMatch(/Kursk/);
      expect(platform.allMessages()).toHaveLength(0);
    });
  });

  const threadMessages = platform.threadMessages;
  const sourcesButton = platform.sourcesButton;

  describe(`${platform.name}: sources in a briefing thread (shared platform suite)`, () => {
    it.skipIf(!threads || !threadMessages)('answers "sources" in the thread with the links, and ignores other chatter', async () => {
      const bot = await start();
      await briefNow(bot);
      const parent = platform.channelMessages()[0] as M;
      const before = threads!.replies(parent).length;

      await threadMessages!.send(parent, 'nice, thanks');
      await threadMessages!.send(parent, 'sources?');
      await waitUntil(() => threads!.replies(parent).length === before + 1, 'the sources reply');
      const answer = text(threads!.replies(parent).at(-1) as M);
      // Both events of the thread, every article linked.
      for (const id of ['kursk-1', 'kursk-2', 'kursk-3', 'flood-1']) expect(answer).toContain(url(id));
      expect(platform.channelMessages()).toHaveLength(1);

      // Other words for it are answered too, once.
      await threadMessages!.send(parent, 'links please');
      await waitUntil(() => threads!.replies(parent).length >= before + 2, 'the second sources reply');
      await new Promise((r) => setTimeout(r, 200));
      expect(threads!.replies(parent)).toHaveLength(before + 2);
      expect(text(threads!.replies(parent).at(-1) as M)).toContain(url('kursk-3'));

      // "sources 1" is the first event only.
      await threadMessages!.send(parent, 'sources 1');
      await waitUntil(() => threads!.replies(parent).length === before + 3, 'the third sources reply');
      const first = text(threads!.replies(parent).at(-1) as M);
      const kurskFirst = /Kursk/.test(text(threads!.replies(parent)[0] as M));
      expect(first.includes(url('kursk-1'))).toBe(kurskFirst);
      expect(first.includes(url('flood-1'))).toBe(!kurskFirst);
    });

    it.skipIf(!threads || !sourcesButton)(
      "answers the Sources button under an event with that event's sources, in its thread",
      async () => {
        const bot = await start();
        await briefNow(bot);
        const parent = platform.channelMessages()[0] as M;
        const kursk = threads!.replies(parent).find((r) => /Kursk/.test(text(r))) as M;
        const before = threads!.replies(parent).length;
        await sourcesButton!.click(parent, kursk);
        await waitUntil(() => threads!.replies(parent).length === before + 1, 'the sources reply');
        const answer = text(threads!.replies(parent).at(-1) as M);
        expect(answer).toContain(url('kursk-1'));
        expect(answer).toContain(url('kursk-3'));
        expect(answer).not.toContain(url('flood-1'));
      },
    );
  });
}
