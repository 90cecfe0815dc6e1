/**
 * The ledger and the deliverer on a real SQLite file, with a scripted chat platform (the port every
 * adapter implements): order within a brief, retries and Retry-After, giving up, in-doubt attempts,
 * and a brief planned twice being recorded once.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliverer, retryDelayMs } from '../../../src/pipeline/deliver.ts';
import type { ChatPlatform, DeliveryContent, PostRequest, PostResult } from '../../../src/platforms/chat-platform.ts';
import { PlatformError } from '../../../src/shared/errors.ts';
import { silentLogger } from '../../../src/shared/logger.ts';
import type { NewDelivery, Store } from '../../../src/store/ports.ts';
import { createSqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { type Clock, manualClock, tempDir } from '../../helpers/bot-harness.ts';

type Script = (request: PostRequest, inDoubt: boolean) => PostResult | Error;

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
    post(request, { inDoubt }) {
      const outcome = platform.script?.(request, inDoubt);
      if (outcome instanceof Error) return Promise.reject(outcome);
      platform.posts.push({ key: request.key, threadRef: request.threadRef, inDoubt });
      n++;
      return Promise.resolve(outcome ?? { messageRef: `m${n}`, threadRef: request.threadRef ?? `t${n}` });
    },
  };
  return platform;
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

let store: Store;
let clock: Clock;
let platform: ScriptedPlatform;

function deliverer(maxAttempts = 5) {
  return createDeliverer({ store, platforms: new Map([['slack', platform]]), logger: silentLogger, now: clock.now, maxAttempts });
}

beforeEach(() => {
  store = createSqliteStore(join(tempDir('ledger'), 'ledger.db'));
  clock = manualClock('2025-04-26T08:00:00Z');
  platform = scriptedPlatform();
});
afterEach(() => store.close());

describe('delivery ledger', () => {
  it('records a brief once, however often it is planned, and knows which events are queued', () => {
    expect(brief(store, 'b1', clock)).toBe(true);
    expect(brief(store, 'b1', clock)).toBe(false);
    expect(store.deliveries.listByBrief('b1')).toHaveLength(3);
    expect([...store.deliveries.queuedEventIds('slack', 'C1')].sort()).toEqual(['e1', 'e2']);
    expect(store.deliveries.queuedEventIds('slack', 'C2').size).toBe(0);
  });
});

describe('deliverer', () => {
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

  it('keeps one brief from blocking another', async () => {
    brief(store, 'b1', clock, 1);
    clock.advance(1_000);
    brief(store, 'b2', clock, 1);
    platform.script = (req) =>
      req.key.startsWith('b1')
        ? new PlatformError('platform_unavailable', '503', { retryable: true })
        : { messageRef: 'm', threadRef: 't' };
    expect(await deliverer().run()).toBe(2);
    expect(platform.posts.map((p) => p.key)).toEqual(['b2:parent', 'b2:event:1']);
  });

  it('coalesces overlapping runs: nothing is posted twice', async () => {
    brief(store, 'b1', clock);
    const d = deliverer();
    await Promise.all([d.run(), d.run(), d.run()]);
    expect(platform.posts.map((p) => p.key)).toEqual(['b1:parent', 'b1:event:1', 'b1:event:2']);
  });
});
