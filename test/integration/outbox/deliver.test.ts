/**
 * The ledger and the deliverer on a real SQLite file and a real PostgreSQL database, with a scripted chat platform (the port every
 * adapter implements): order within a brief, retries and Retry-After, giving up, in-doubt attempts,
 * and a brief planned twice being recorded once.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliverer, retryDelayMs } from '../../../src/outbox/deliver.ts';
import type { ChatPlatform, DeliveryContent, PostRequest, PostResult } from '../../../src/platforms/chat-platform.ts';
import { PlatformError } from '../../../src/shared/errors.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import type { NewDelivery, Store } from '../../../src/store/ports.ts';
import { createPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type Clock, manualClock, tempDir } from '../../helpers/bot-harness.ts';
import { describePg, freshPostgresDatabase } from '../../helpers/postgres.ts';

type Script = (request: PostRequest, inDoubt: boolean) => PostResult | Error | undefined;

interface ScriptedPlatform extends ChatPlatform {
  posts: Array<{ key: string; threadRef: string | null; inDoubt: boolean }>;
  script: Script | null;
}

function scriptedPlatform(): ScriptedPlatform {
  let n = 0;
  const platform: ScriptedPlatform = {
    name: 'slack',
    posts: [],
    script: null,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    connected: () => true,
    post(request, { inDoubt }) {
      const outcome = platform.script?.(request, inDoubt) ?? undefined;
      if (outcome instanceof Error) return Promise.reject(outcome);
      platform.posts.push({ key: request.key, threadRef: request.threadRef, inDoubt });
      n++;
      return Promise.resolve(outcome ?? { messageRef: `m${n}`, threadRef: request.threadRef ?? `t${n}` });
    },
  };
  return platform;
}

/** Waits (real time) until `predicate` holds. */
async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const notice = (text: string): string => JSON.stringify({ kind: 'notice', text } satisfies DeliveryContent);

function brief(store: Store, id: string, clock: Clock, replies = 2): boolean {
  const deliveries: NewDelivery[] = [
    { key: `${id}:parent`, seq: 0, parentKey: null, threadRef: null, content: notice('parent'), eventIds: ['e1', 'e2'] },
    ...Array.from({ length: replies }, (_, i) => ({
      key: `${id}:event:${i + 1}`,
      seq: i + 1,
      parentKey: `${id}:parent`,
      threadRef: null,
      content: notice(`event ${i + 1}`),
      eventIds: [`e${i + 1}`],
    })),
  ];
  return store.deliveries.enqueueBrief(
    { id, platform: 'slack', channelId: 'C1', kind: 'scheduled', createdAt: clock.now().toISOString(), payload: '{}' },
    deliveries,
  );
}

/** The ledger and the deliverer on one store; run on SQLite, and on PostgreSQL when the run has a server. */
function describeDeliverer(name: string, open: () => Promise<{ store: Store; close: () => Promise<void> }>): void {
  let store: Store;
  let close: () => Promise<void>;
  let clock: Clock;
  let platform: ScriptedPlatform;

  function deliverer(maxAttempts = 5) {
    return createDeliverer({ store, platforms: new Map([['slack', platform]]), logger: silentLogger, now: clock.now, maxAttempts });
  }

  beforeEach(async () => {
    ({ store, close } = await open());
    clock = manualClock('2025-04-26T08:00:00Z');
    platform = scriptedPlatform();
  });
  afterEach(() => close());

  describe(`delivery ledger (${name})`, () => {
    it('records a brief once, however often it is planned, and knows which events are queued', () => {
      expect(brief(store, 'b1', clock)).toBe(true);
      expect(brief(store, 'b1', clock)).toBe(false);
      expect(store.deliveries.listByBrief('b1')).toHaveLength(3);
      expect([...store.deliveries.queuedEventIds('slack', 'C1')].sort()).toEqual(['e1', 'e2']);
      expect(store.deliveries.queuedEventIds('slack', 'C2').size).toBe(0);
    });
  });

  describe(`deliverer (${name})`, () => {
    it('posts the parent first and the replies into its thread', async () => {
      brief(store, 'b1', clock);
      expect(await deliverer().run()).toBe(3);
      expect(platform.posts.map((p) => [p.key, p.threadRef])).toEqual([
        ['b1:parent', null],
        ['b1:event:1', 't1'],
        ['b1:event:2', 't1'],
      ]);
      expect(store.deliveries.countPending()).toBe(0);
      expect(store.deliveries.queuedEventIds('slack', 'C1').size).toBe(0);
    });

    it('holds the replies back while the parent waits out a rate limit, and waits as long as asked', async () => {
      brief(store, 'b1', clock);
      platform.script = () => new PlatformError('platform_rate_limited', 'slow down', { retryable: true, retryAfterMs: 90_000 });
      const d = deliverer();
      expect(await d.run()).toBe(0);
      platform.script = null;
      clock.advance(60_000);
      expect(await d.run()).toBe(0);
      expect(platform.posts).toEqual([]);
      clock.advance(31_000);
      expect(await d.run()).toBe(3);
      // The retried parent may have reached Slack before the failure was seen: it is reconciled, not blindly reposted.
      expect(platform.posts[0]).toMatchObject({ key: 'b1:parent', inDoubt: true });
    });

    it('backs off exponentially, never sooner than Retry-After', () => {
      expect(retryDelayMs(1)).toBe(5_000);
      expect(retryDelayMs(3)).toBe(20_000);
      expect(retryDelayMs(20)).toBe(30 * 60_000);
      expect(retryDelayMs(1, 120_000)).toBe(120_000);
    });

    it('gives up on a delivery the platform refuses for good, and says why', async () => {
      brief(store, 'b1', clock, 1);
      platform.script = (req) =>
        req.key.endsWith(':parent')
          ? new PlatformError('platform_rejected', 'channel_not_found', { retryable: false })
          : { messageRef: 'x', threadRef: 'y' };
      const d = deliverer();
      await d.run();
      clock.advance(60_000);
      await d.run();
      const parent = store.deliveries.get('b1:parent');
      expect(parent?.state).toBe('failed');
      expect(parent?.lastError).toMatch(/channel_not_found/);
      // Its replies never go out without it.
      expect(platform.posts).toEqual([]);
    });

    it('keeps a brief refused in one channel from blocking the next brief', async () => {
      brief(store, 'b1', clock, 1);
      clock.advance(1_000);
      brief(store, 'b2', clock, 1);
      platform.script = (req) =>
        req.key.startsWith('b1')
          ? new PlatformError('platform_rejected', 'channel_not_found', { retryable: false, definite: true })
          : { messageRef: 'm', threadRef: 't' };
      expect(await deliverer().run()).toBe(2);
      expect(platform.posts.map((p) => p.key)).toEqual(['b2:parent', 'b2:event:1']);
    });

    it('holds a platform back for the rest of the run when it is down, without holding back the others', async () => {
      const discord = scriptedPlatform();
      brief(store, 'b1', clock, 1);
      store.deliveries.enqueueBrief(
        { id: 'd1', platform: 'discord', channelId: 'D1', kind: 'scheduled', createdAt: clock.now().toISOString(), payload: '{}' },
        [{ key: 'd1:parent', seq: 0, parentKey: null, threadRef: null, content: notice('d'), eventIds: [] }],
      );
      let calls = 0;
      platform.script = () => {
        calls++;
        return new PlatformError('platform_unavailable', 'Slack answered HTTP 503', { retryable: true });
      };
      const d = createDeliverer({
        store,
        platforms: new Map<string, ChatPlatform>([
          ['slack', platform],
          ['discord', discord],
        ]),
        logger: silentLogger,
        now: clock.now,
        maxAttempts: 5,
      });
      expect(await d.run()).toBe(1);
      expect(discord.posts.map((p) => p.key)).toEqual(['d1:parent']);
      expect(calls).toBe(1);
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'failing' }, discord: { state: 'ok' } });
    });

    it('checks before posting again only when the last attempt may have gone through', async () => {
      brief(store, 'b1', clock, 0);
      platform.script = () => new PlatformError('platform_rate_limited', '429', { retryable: true, definite: true, retryAfterMs: 1_000 });
      const d = deliverer();
      await d.run();
      platform.script = null;
      clock.advance(10_000);
      await d.run();
      expect(platform.posts).toEqual([{ key: 'b1:parent', threadRef: null, inDoubt: false }]);

      brief(store, 'b2', clock, 0);
      platform.script = () => new PlatformError('platform_unavailable', 'timeout', { retryable: true });
      await d.run();
      platform.script = null;
      clock.advance(10_000);
      await d.run();
      expect(platform.posts.at(-1)).toEqual({ key: 'b2:parent', threadRef: null, inDoubt: true });
    });

    it('stays in doubt, from the first uncertain attempt, until the message is found or posted', async () => {
      brief(store, 'b1', clock, 0);
      const d = deliverer();
      platform.script = () => new PlatformError('platform_unavailable', 'timeout', { retryable: true });
      await d.run();
      const firstAttempt = store.deliveries.get('b1:parent')?.lastAttemptAt;
      clock.advance(10 * 60_000);
      // The check for the uncertain attempt is itself rate limited: a certain failure, but the doubt remains.
      platform.script = () => new PlatformError('platform_rate_limited', '429', { retryable: true, definite: true, retryAfterMs: 1_000 });
      await d.run();
      expect(store.deliveries.get('b1:parent')).toMatchObject({ inDoubt: true, doubtSince: firstAttempt });
      const seen: Array<string | null> = [];
      platform.script = (_req, inDoubt) => {
        seen.push(inDoubt ? 'in doubt' : null);
        return undefined;
      };
      clock.advance(10 * 60_000);
      await d.run();
      expect(seen).toEqual(['in doubt']);
      expect(store.deliveries.get('b1:parent')).toMatchObject({ state: 'posted', inDoubt: false, doubtSince: null });
    });

    it('gives up on a message the platform keeps refusing, after maxAttempts', async () => {
      brief(store, 'b2', clock, 0);
      platform.script = () => new PlatformError('platform_rejected', 'invalid_blocks', { retryable: true, definite: true });
      const d = deliverer(3);
      for (let i = 0; i < 4; i++) {
        clock.advance(60 * 60_000);
        await d.run();
      }
      expect(store.deliveries.get('b2:parent')?.state).toBe('failed');
    });

    it('waits out a refused token (or an outage) for up to a day, however many attempts it takes', async () => {
      brief(store, 'b1', clock, 0);
      platform.script = () => new PlatformError('platform_auth', 'token_revoked', { retryable: true, definite: true });
      const d = deliverer(3);
      for (let i = 0; i < 8; i++) {
        clock.advance(60 * 60_000);
        await d.run();
      }
      expect(store.deliveries.get('b1:parent')?.state).toBe('pending');
      expect(store.deliveries.get('b1:parent')?.attempts).toBeGreaterThan(3);
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'auth' } });
      clock.advance(20 * 60 * 60_000);
      await d.run();
      expect(store.deliveries.get('b1:parent')?.state).toBe('failed');
    });

    it('gives up on the replies of a parent that failed for good, so nothing waits forever', async () => {
      brief(store, 'b1', clock, 2);
      platform.script = () => new PlatformError('platform_rejected', 'channel_not_found', { retryable: false, definite: true });
      const d = deliverer();
      await d.run();
      clock.advance(60_000);
      await d.run();
      expect(store.deliveries.countPending()).toBe(0);
      expect(store.deliveries.countFailed()).toBe(3);
      expect(store.deliveries.get('b1:event:2')?.lastError).toMatch(/the message it replies to failed/);
      expect(store.deliveries.queuedEventIds('slack', 'C1').size).toBe(0);
      // Given up, with nothing left waiting: posting is not "failing" any more (the failure is counted).
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'ok' } });
    });

    it('reports a rate limit as such, not as failing posts, and remembers since when posts fail', async () => {
      brief(store, 'b1', clock);
      platform.script = () => new PlatformError('platform_rate_limited', 'slow down', { retryable: true, retryAfterMs: 30_000 });
      const d = deliverer();
      await d.run();
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'rate_limited' } });
      platform.script = () => new PlatformError('platform_unavailable', 'down', { retryable: true });
      clock.advance(31_000);
      await d.run();
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'failing', since: '2025-04-26T08:00:00.000Z' } });
      platform.script = null;
      clock.advance(60 * 60_000);
      await d.run();
      expect(d.platformHealth()).toMatchObject({ slack: { state: 'ok', since: null } });
    });

    it('posts replies in their order, even when one has to wait', async () => {
      brief(store, 'b1', clock, 2);
      let failOnce = true;
      platform.script = (req) => {
        if (req.key === 'b1:event:1' && failOnce) {
          failOnce = false;
          return new PlatformError('platform_rejected', 'invalid_blocks', { retryable: true, definite: true });
        }
        return undefined;
      };
      const d = deliverer();
      await d.run();
      clock.advance(1_000);
      await d.run();
      expect(platform.posts.map((p) => p.key)).toEqual(['b1:parent']);
      clock.advance(60_000);
      await d.run();
      expect(platform.posts.map((p) => p.key)).toEqual(['b1:parent', 'b1:event:1', 'b1:event:2']);
    });

    it('never lets two runs (or two processes) post the same delivery', () => {
      brief(store, 'b1', clock, 0);
      const d = store.deliveries.get('b1:parent');
      expect(store.deliveries.markAttempt('b1:parent', clock.now().toISOString(), d?.attempts ?? 0)).toBe(true);
      expect(store.deliveries.markAttempt('b1:parent', clock.now().toISOString(), d?.attempts ?? 0)).toBe(false);
    });

    it('keeps its hold on a delivery while a slow post runs, so another instance never posts it too', async () => {
      brief(store, 'b1', clock, 0);
      let release: () => void = () => undefined;
      const slow: ScriptedPlatform = {
        ...scriptedPlatform(),
        post(request) {
          slow.posts.push({ key: request.key, threadRef: request.threadRef, inDoubt: false });
          return new Promise((resolve) => {
            release = () => resolve({ messageRef: 'm1', threadRef: 't1' });
          });
        },
      };
      const claimMs = 300;
      const first = createDeliverer({
        store,
        platforms: new Map([['slack', slow]]),
        logger: silentLogger,
        now: clock.now,
        maxAttempts: 5,
        shared: { claimMs },
      });
      const second = createDeliverer({
        store,
        platforms: new Map([['slack', platform]]),
        logger: silentLogger,
        now: clock.now,
        maxAttempts: 5,
        shared: { claimMs },
      });
      const running = first.run();
      await waitFor(() => slow.posts.length === 1);
      // The post takes far longer than the claim; the first instance keeps renewing it meanwhile.
      for (let i = 0; i < 3; i++) {
        clock.advance(claimMs * 2);
        await new Promise((r) => setTimeout(r, claimMs));
        expect(await second.run()).toBe(0);
      }
      release();
      expect(await running).toBe(1);
      expect(platform.posts).toEqual([]);
      expect(store.deliveries.get('b1:parent')).toMatchObject({ state: 'posted', attempts: 1 });
    });

    it('coalesces overlapping runs: nothing is posted twice', async () => {
      brief(store, 'b1', clock);
      const d = deliverer();
      await Promise.all([d.run(), d.run(), d.run()]);
      expect(platform.posts.map((p) => p.key)).toEqual(['b1:parent', 'b1:event:1', 'b1:event:2']);
    });
  });
}

describeDeliverer('SQLite', async () => {
  const store = createSqliteStore(join(tempDir('ledger'), 'ledger.db'));
  return { store, close: async () => store.close() };
});

describePg('on PostgreSQL', () => {
  describeDeliverer('PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    const store = createPostgresStore(db.url);
    return {
      store,
      async close() {
        store.close();
        await db.drop();
      },
    };
  });
});
