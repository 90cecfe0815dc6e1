/**
 * Several briefbot instances on one PostgreSQL database, as real processes (`node src/main.ts`), against
 * the fake Slack (HTTP mode), the fake Discord (REST and gateway) and the fake feed server: the work is
 * shared, never doubled. A scheduled brief reaches each channel once, `/brief` is answered with one brief,
 * each feed is fetched once per cycle, one instance holds Discord's gateway; and when the instance posting
 * a brief is killed while Slack holds its answer, the others finish the brief after its claim runs out,
 * finding first what was already posted.
 *
 * Each instance gets its own Slack token (the fake accepts any), so a call to the fake Slack names the
 * process that made it.
 *
 * Two races these processes run into only now and then are pinned down in-process at the end: a brief
 * planned while another instance is saving its clustering, and a delivery another instance claims
 * between this one listing it and taking it.
 */
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_CLUSTER_PARAMS } from '../../../src/cluster/cluster-stories.ts';
import { httpClientOptions } from '../../../src/config/load-config.ts';
import { createHttpClient } from '../../../src/net/http-client.ts';
import { createDeliverer } from '../../../src/outbox/deliver.ts';
import { clusterNewArticles } from '../../../src/pipeline/cluster-articles.ts';
import { pollFeeds } from '../../../src/pipeline/poll-feeds.ts';
import type { ChatPlatform, DeliveryContent, PostRequest } from '../../../src/platforms/chat-platform.ts';
import { createLogger, silentLogger } from '../../../src/shared/logger.ts';
import type { Store } from '../../../src/store/ports.ts';
import { createPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { type FakeDiscord, startFakeDiscord, TEXT_CHANNEL_ID } from '../../fakes/discord/index.ts';
import { type FakeFeedServer, startFakeFeedServer } from '../../fakes/fake-feed-server.ts';
import { type FakeMessage, type FakeSlackApi, startFakeSlackApi } from '../../fakes/fake-slack-api.ts';
import { createSlackRequester } from '../../fakes/slack-requests.ts';
import { manualClock, serveStories, startHarness, tempDir, writeAndLoadConfig } from '../../helpers/bot-harness.ts';
import { KURSK } from '../../helpers/kursk-stories.ts';
import { describePg, type FreshPostgresDatabase, freshPostgresDatabase } from '../../helpers/postgres.ts';
import { FLOOD } from '../../helpers/stories.ts';
import { DISCORD_TOKEN, discordEnv, discordPosts, discordVisible } from '../platforms/discord-harness.ts';
import { type BotProcess, spawnBot, waitUntil } from './bot-process.ts';

const SLACK_CHANNEL = 'C0SCALE';
const SIGNING_SECRET = 'scale-out-signing-secret';
/** Two events: the Kursk reports and the flood. */
const EVENTS = 2;

let db: FreshPostgresDatabase;
let feeds: FakeFeedServer;
let slack: FakeSlackApi;
let discord: FakeDiscord;
let dir: string;
let feedPaths: string[];
let instances: BotProcess[] = [];

function startInstance(name: string): BotProcess {
  const bot = spawnBot(
    name,
    {
      BRIEFBOT_CONFIG: join(dir, 'briefbot.yaml'),
      DATABASE_URL: db.url,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SLACK_BOT_TOKEN: `xoxb-instance-${name}`,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ...discordEnv(discord),
    },
    dir,
  );
  instances.push(bot);
  return bot;
}

/** Which instance made a Slack call: its token says. */
const instanceOf = (token: string | undefined): BotProcess | undefined => instances.find((i) => token === `xoxb-instance-${i.name}`);

/** The port its Slack app listens on (HTTP mode), from its log. */
async function slackPort(bot: BotProcess): Promise<number> {
  const line = await bot.waitForLog((l) => l.msg === 'slack app listening (HTTP mode)', 'the Slack app to listen');
  return line.port as number;
}

/** Its /healthz, from the address it logged. */
async function health(bot: BotProcess): Promise<{ status: string; problems: string[]; notices: string[] }> {
  const line = await bot.waitForLog((l) => l.msg === 'health and metrics', 'the health server');
  const res = await fetch(line.url as string);
  return (await res.json()) as { status: string; problems: string[]; notices: string[] };
}

const isTopLevel = (m: FakeMessage) => !m.thread_ts || m.thread_ts === m.ts;
const slackParents = (): FakeMessage[] => slack.messages(SLACK_CHANNEL).filter(isTopLevel);
const slackReplies = (parent: FakeMessage): FakeMessage[] => slack.thread(SLACK_CHANNEL, parent.ts).slice(1);
const slackKeys = (): unknown[] => slack.messages(SLACK_CHANNEL).map((m) => m.metadata?.event_payload.key);
const scheduledParents = () => slackParents().filter((m) => !/Brief on “/.test(m.text));
const kurskParents = () => slackParents().filter((m) => /Brief on “kursk”/.test(m.text));

const discordParents = (): APIMessage[] => discordPosts(discord, TEXT_CHANNEL_ID);
const discordReplies = (): APIMessage[] => discord.threads(TEXT_CHANNEL_ID).flatMap((t) => discordPosts(discord, t.id));

/** Everything the instances logged at warn or above, and what the fakes saw, for a failing assertion. */
function detail(): string {
  const lines = instances.flatMap((i) =>
    i.logs.filter((l) => l.level !== 'info' && l.level !== 'debug').map((l) => `${i.name}: ${JSON.stringify(l)}`),
  );
  const posted = instances.flatMap((i) => i.logs.filter((l) => l.msg === 'posted').map((l) => `${i.name} posted ${String(l.key)}`));
  return [...lines, ...posted, `slack calls: ${slack.calls.map((c) => c.method).join(', ')}`].join('\n');
}

/** Waits past the next tick of every instance's retry loop (every 15 s, on the quarter minute), for a late duplicate. */
async function pastNextDeliverTick(): Promise<void> {
  const ms = 15_000 - (Date.now() % 15_000) + 2_000;
  await new Promise((r) => setTimeout(r, ms));
}

beforeEach(async () => {
  db = await freshPostgresDatabase();
  feeds = await startFakeFeedServer();
  slack = await startFakeSlackApi();
  discord = await startFakeDiscord({ heartbeatInterval: 1000, token: DISCORD_TOKEN });
  dir = tempDir('scale-out');
  const urls = serveStories(feeds, [...KURSK, ...FLOOD]);
  feedPaths = urls.map((u) => new URL(u).pathname);
  writeFileSync(
    join(dir, 'briefbot.yaml'),
    stringify({
      // Not due again within the test: every request for a feed is a poll of the first cycle.
      feeds: urls.map((url) => ({ url, interval: '10m' })),
      fetch: { allowPrivateAddresses: true },
      // Discord first: an instance posts one channel's start-up brief before it plans the next one's, so
      // were Slack first, the instance killed while posting it would never plan Discord's (and the others,
      // which had nothing to brief when they started, have done theirs: it would come with the next brief).
      channels: [
        { platform: 'discord', id: TEXT_CHANNEL_ID, name: '#briefs', schedule: '0 8 * * *', briefOnStart: true },
        { platform: 'slack', id: SLACK_CHANNEL, name: '#scale', schedule: '0 8 * * *', briefOnStart: true },
      ],
      slack: { mode: 'http', port: 0 },
      // A killed instance's delivery is taken over this long after its attempt started.
      bot: { delivery: { claimTimeout: '3s' } },
    }),
  );
});

afterEach(async () => {
  await Promise.all(instances.map((i) => i.kill()));
  // SCALE_OUT_LOGS=<folder>: keep each instance's log there (instance-A.log, …) to see who did what.
  const keep = process.env.SCALE_OUT_LOGS;
  if (keep) for (const i of instances) writeFileSync(join(keep, `instance-${i.name}.log`), i.stderr());
  instances = [];
  await slack.close();
  await discord.close();
  await feeds.close();
  await db.drop();
});

describePg('several instances on one PostgreSQL database', () => {
  it('share the work: one scheduled brief per channel, one answer to /brief, each feed fetched once, one gateway connection', async () => {
    const bots = ['A', 'B', 'C'].map(startInstance);
    await Promise.all(bots.map((b) => b.waitForLog((l) => l.msg === 'sharing the database with any other instances', 'the shared store')));

    // 1. The start-up brief, once in each channel: a parent and one reply per event.
    await waitUntil(
      () => scheduledParents().length >= 1 && slackReplies(scheduledParents()[0] as FakeMessage).length >= EVENTS,
      'the Slack brief',
      30_000,
      detail,
    );
    await waitUntil(() => discordParents().length >= 1 && discordReplies().length >= EVENTS, 'the Discord brief', 30_000, detail);

    // 4. Discord's gateway: one connection among the three, the others standing by (they still post over REST).
    const healths = await Promise.all(bots.map(health));
    const standing = healths.filter((h) => h.notices.some((n) => /^discord: another instance holds the connection/.test(n)));
    expect(standing, JSON.stringify(healths)).toHaveLength(bots.length - 1);
    const holders = bots.filter((b) => b.logs.some((l) => l.msg === 'this instance holds the platform connection'));
    expect(holders.map((b) => b.name)).toHaveLength(1);
    expect(discord.identifies).toBe(1);
    expect(discord.gatewayConnections).toBe(1);
    expect(discord.openConnections).toBe(1);

    // 2. /brief kursk, sent to one instance (not necessarily the one holding anything): one brief.
    const asked = bots[1] as BotProcess;
    const requester = createSlackRequester({
      url: `http://127.0.0.1:${await slackPort(asked)}`,
      signingSecret: SIGNING_SECRET,
      responseUrl: slack.responseUrl,
    });
    const res = await requester.slashCommand({ command: '/brief', text: 'kursk', channel_id: SLACK_CHANNEL, user_id: 'U1' });
    expect(res.status).toBe(200);
    await waitUntil(
      () => kurskParents().length >= 1 && slackReplies(kurskParents()[0] as FakeMessage).length >= 1,
      'the /brief kursk brief',
      20_000,
      detail,
    );

    // Every instance's retry loop gets a turn: a delivery claimed twice would be posted twice by now.
    await pastNextDeliverTick();
    for (const b of bots) expect(b.alive(), b.stderr()).toBe(true);

    expect(scheduledParents(), detail()).toHaveLength(1);
    expect(slackReplies(scheduledParents()[0] as FakeMessage)).toHaveLength(EVENTS);
    expect(kurskParents(), detail()).toHaveLength(1);
    expect(slackReplies(kurskParents()[0] as FakeMessage)).toHaveLength(1);
    expect(slackParents()).toHaveLength(2);
    expect(new Set(slackKeys()).size, detail()).toBe(slackKeys().length);
    expect(slackKeys().every((k) => typeof k === 'string')).toBe(true);
    // The private answer to /brief: one, from the instance asked.
    expect(slack.responses).toHaveLength(1);

    expect(discordParents(), detail()).toHaveLength(1);
    expect(discord.threads(TEXT_CHANNEL_ID)).toHaveLength(1);
    expect(discordReplies(), detail()).toHaveLength(EVENTS);
    const shown = discordReplies().map(discordVisible);
    expect(new Set(shown).size).toBe(shown.length);
    // No resent message either: every message posted carries a nonce of its own.
    const nonces = discord.callsTo('POST', /\/messages$/).map((c) => (c.body as { nonce?: string } | undefined)?.nonce);
    expect(new Set(nonces).size).toBe(nonces.length);

    // 3. Each feed fetched once across the three instances (none is due again within the test), and each
    // article page it links to (not served here, so the feed's text is used) asked for once.
    for (const path of feedPaths) expect(feeds.requestsFor(path), path).toHaveLength(1);
    const paths = feeds.requests.map((r) => r.path);
    expect(paths.filter((p, i) => paths.indexOf(p) !== i)).toEqual([]);

    // 4. Still one gateway connection, nobody reconnected.
    expect(discord.identifies).toBe(1);
    expect(discord.gatewayConnections).toBe(1);
  }, 90_000);

  it('finish a brief whose poster was killed while Slack held its answer, posting nothing twice', async () => {
    // Slack takes the first message (the brief's parent) but does not answer it.
    const release = slack.hold('chat.postMessage');
    const bots = ['A', 'B', 'C'].map(startInstance);
    await waitUntil(() => slack.messages(SLACK_CHANNEL).length === 1, 'the held parent message', 30_000, detail);
    const held = slack.callsTo('chat.postMessage');
    expect(held).toHaveLength(1);
    const poster = instanceOf(held[0]?.token);
    expect(poster, `token ${held[0]?.token}`).toBeDefined();
    await (poster as BotProcess).kill();
    release();
    const survivors = bots.filter((b) => b !== poster);

    // After the claim (3 s) a survivor's retry loop (every 15 s) takes it over, in doubt: it finds the
    // parent by its key instead of posting it again, then posts the replies.
    await waitUntil(
      () => slackParents().length >= 1 && slackReplies(slackParents()[0] as FakeMessage).length >= EVENTS,
      'the rest of the brief',
      40_000,
      detail,
    );
    await pastNextDeliverTick();

    expect(slackParents(), detail()).toHaveLength(1);
    expect(slackReplies(slackParents()[0] as FakeMessage), detail()).toHaveLength(EVENTS);
    expect(new Set(slackKeys()).size, detail()).toBe(slackKeys().length);
    // Slack carries each part's key (`<delivery key>#<part>`) in the message's metadata.
    const parentKey = String(slackParents()[0]?.metadata?.event_payload.key).replace(/#\d+$/, '');
    const reconciled = survivors.flatMap((b) => b.logs.filter((l) => l.msg === 'posted' && l.key === parentKey && l.reconciled === true));
    expect(reconciled, detail()).toHaveLength(1);
    // Only the survivors posted after the kill.
    const after = slack.callsTo('chat.postMessage').slice(1);
    expect(after.length).toBeGreaterThanOrEqual(EVENTS);
    expect(after.every((c) => instanceOf(c.token) !== poster)).toBe(true);
    for (const b of survivors) expect(b.alive(), b.stderr()).toBe(true);

    // Discord's brief, meanwhile, once.
    expect(discordParents(), detail()).toHaveLength(1);
    expect(discordReplies(), detail()).toHaveLength(EVENTS);
    // Discord's gateway: still one connection; if the killed instance held it, a survivor took it over.
    const posterHeldGateway = (poster as BotProcess).logs.some((l) => l.msg === 'this instance holds the platform connection');
    await waitUntil(() => discord.openConnections === 1, 'one gateway connection', 20_000, detail);
    expect(discord.identifies).toBe(posterHeldGateway ? 2 : 1);
  }, 90_000);
});

describePg('a brief and another instance clustering', () => {
  it('waits for the clustering to be saved, so the brief is not lost', async () => {
    // One instance in-process (real bot, real PostgreSQL); the other instance is the test, clustering by hand.
    const clock = manualClock('2025-04-26T20:00:00Z');
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
    const config = writeAndLoadConfig(
      tempDir('scale-out-brief'),
      feedPaths.map((p) => `${feeds.url}${p}`),
      { channels: [{ platform: 'slack', id: SLACK_CHANNEL, schedule: '0 8 * * *' }], slack: { mode: 'http' } },
      { DATABASE_URL: db.url, SLACK_BOT_TOKEN: 'xoxb-in-process', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl },
    );
    const h = await startHarness(config, clock, logger);
    const http = createHttpClient(httpClientOptions(config));
    try {
      await pollFeeds(
        { feeds: config.feeds, force: true, concurrency: 4, fullText: 'never', polling: config.polling },
        { http, store: h.store, logger: silentLogger, now: clock.now },
      );
      // The other instance starts clustering: it holds the lease, and stamps its events before it saves them.
      const other = { id: 'other-instance', pid: process.pid, host: hostname() };
      expect(h.store.leases.acquire('cluster', other, 60_000, clock.now()).granted).toBe(true);
      const stampedAt = clock.now();
      clock.advance(1_000);

      // This instance's brief comes due meanwhile: it must not read the events half-saved.
      const brief = h.bot.briefChannel(config.channels[0] as (typeof config.channels)[number]);
      const said = (msg: string) => lines.some((l) => (JSON.parse(l) as { msg: string }).msg === msg);
      await waitUntil(
        () =>
          said('another briefbot process is clustering this database; waiting for it') ||
          said('no new events for this channel; nothing posted'),
        'the brief to wait or to give up',
        5_000,
      );
      await clusterNewArticles(DEFAULT_CLUSTER_PARAMS, { store: h.store, logger: silentLogger, now: () => stampedAt });
      h.store.leases.release('cluster', other.id);
      await brief;

      // The brief, with both events (had it been recorded as briefed at its own time, after the events'
      // stamp, no later brief would ever show them).
      expect(
        lines.filter((l) => l.includes('"no new events for this channel')),
        lines.join('\n'),
      ).toEqual([]);
      await waitUntil(() => slackParents().length === 1 && slackReplies(slackParents()[0] as FakeMessage).length === EVENTS, 'the brief');
    } finally {
      http.close();
      await h.close();
    }
  });
});

/** A chat platform (the port every adapter implements) whose posts of the given keys wait for the test. */
function gatedPlatform(gated: readonly string[]) {
  const started: string[] = [];
  const gates = new Map(
    gated.map((key) => {
      let open = () => {};
      const gate = new Promise<void>((r) => {
        open = r;
      });
      return [key, { gate, open }] as const;
    }),
  );
  const platform: ChatPlatform = {
    name: 'slack',
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    connected: () => true,
    async post(request: PostRequest) {
      started.push(request.key);
      await gates.get(request.key)?.gate;
      return { messageRef: `m-${request.key}`, threadRef: `t-${request.key}` };
    },
  };
  return { platform, started, open: (key: string) => gates.get(key)?.open() };
}

describePg('two instances delivering from one ledger', () => {
  it('leave a delivery another instance claimed after it was listed', async () => {
    // Two instances: two connections to the database, two deliverers, one clock.
    const stores: Store[] = [createPostgresStore(db.url), createPostgresStore(db.url)];
    const [first, second] = stores as [Store, Store];
    const clock = manualClock('2025-04-26T08:00:00Z');
    try {
      const notice = JSON.stringify({ kind: 'notice', text: 'hello' } satisfies DeliveryContent);
      for (const id of ['n1', 'n2']) {
        first.deliveries.enqueueBrief(
          { id, platform: 'slack', channelId: 'C1', kind: 'notice', createdAt: clock.now().toISOString(), payload: '{}' },
          [{ key: `${id}:reply`, seq: 0, parentKey: null, threadRef: 't0', content: notice, eventIds: [] }],
        );
        clock.advance(1);
      }
      const a = gatedPlatform(['n1:reply']);
      const b = gatedPlatform(['n2:reply']);
      const deliverer = (store: Store, platform: ChatPlatform) =>
        createDeliverer({
          store,
          platforms: new Map([['slack', platform]]),
          logger: silentLogger,
          now: clock.now,
          maxAttempts: 5,
          shared: { claimMs: 60_000 },
        });

      // A lists both and is posting the first; B, listing after A's claim, takes the second and is posting it.
      const runA = deliverer(first, a.platform).run();
      await waitUntil(() => a.started.includes('n1:reply'), 'A posting n1');
      const runB = deliverer(second, b.platform).run();
      await waitUntil(() => b.started.includes('n2:reply'), 'B posting n2');
      // A goes on to the second, which it listed before B claimed it: B's attempt holds it.
      a.open('n1:reply');
      await runA;
      b.open('n2:reply');
      await runB;

      expect(a.started).toEqual(['n1:reply']);
      expect(b.started).toEqual(['n2:reply']);
      expect(first.deliveries.countPending()).toBe(0);
    } finally {
      for (const s of stores) s.close();
    }
  });
});
