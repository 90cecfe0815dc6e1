/**
 * A platform that allows one inbound connection (Discord's gateway) on several instances: it connects on
 * the instance holding its lease, stands by on the others, lets the connection go when another instance
 * took the lease or when it could not renew it for most of its life, and connects again once it holds it.
 * The platform and the leases are small stand-ins of the two ports; the timers are real (a few ms).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatPlatform, InboundHandlers } from '../../../src/platforms/chat-platform.ts';
import { createPlatformStarter, type InboundLeases, type PlatformStarter } from '../../../src/runtime/platform-starter.ts';
import { PlatformError } from '../../../src/shared/errors.ts';
import { silentLogger } from '../../../src/shared/logger.ts';

interface Gateway extends ChatPlatform {
  starts: number;
  stops: number;
  up: boolean;
}

function gateway(): Gateway {
  const g: Gateway = {
    name: 'discord',
    singleInbound: true,
    starts: 0,
    stops: 0,
    up: false,
    start: async () => {
      g.starts++;
      g.up = true;
    },
    stopInbound: async () => {
      g.stops++;
      g.up = false;
    },
    stop: async () => {
      g.up = false;
    },
    connected: () => g.up,
    post: () => Promise.reject(new Error('not used')),
  };
  return g;
}

/** Leases whose holder the test decides; `broken` makes renewing throw (the database is unreachable). */
function leases(): InboundLeases & { holder: 'me' | 'other'; broken: boolean } {
  const l = {
    holder: 'me' as 'me' | 'other',
    broken: false,
    renewMs: 10,
    ttlMs: 90,
    acquire: () => {
      if (l.broken) throw new Error('connect ECONNREFUSED');
      return l.holder === 'me';
    },
    release: () => undefined,
  };
  return l;
}

const handlers = {} as InboundHandlers;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let starter: PlatformStarter | null = null;

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await sleep(5);
  expect(predicate()).toBe(true);
}

afterEach(() => {
  starter?.cancelRetries();
  starter = null;
});

describe('one inbound connection across instances', () => {
  it('connects while this instance holds the lease, lets go when another takes it, and comes back', async () => {
    const g = gateway();
    const l = leases();
    starter = createPlatformStarter({ platforms: new Map([['discord', g]]), handlers, log: silentLogger, retryMs: 10, leases: l });
    await starter.startAll();
    expect(g.starts).toBe(1);
    expect(starter.state('discord')).toBe('connected');

    l.holder = 'other';
    await until(() => g.stops === 1);
    expect(g.up).toBe(false);
    expect(starter.state('discord')).toBe('standby');
    await sleep(40);
    expect(g.starts).toBe(1);

    l.holder = 'me';
    await until(() => g.starts === 2);
    expect(starter.state('discord')).toBe('connected');
  });

  it('stands by without connecting while another instance holds it', async () => {
    const g = gateway();
    const l = leases();
    l.holder = 'other';
    starter = createPlatformStarter({ platforms: new Map([['discord', g]]), handlers, log: silentLogger, retryMs: 10, leases: l });
    await starter.startAll();
    await sleep(40);
    expect(g.starts).toBe(0);
    expect(starter.state('discord')).toBe('standby');
  });

  it('does not reconnect through a pending retry once another instance holds the lease', async () => {
    const g = gateway();
    let failFirst = true;
    const start = g.start;
    g.start = async (h) => {
      if (failFirst) {
        failFirst = false;
        g.starts++;
        throw new PlatformError('platform_unavailable', 'gateway unreachable', { retryable: true });
      }
      return start(h);
    };
    const l = leases();
    starter = createPlatformStarter({ platforms: new Map([['discord', g]]), handlers, log: silentLogger, retryMs: 60, leases: l });
    await starter.startAll();
    expect(starter.state('discord')).toBe('retrying');
    // Another instance takes the lease before the retry is due.
    l.holder = 'other';
    await until(() => starter?.state('discord') === 'standby');
    await sleep(120);
    expect(g.starts).toBe(1);
    expect(g.up).toBe(false);
  });

  it('lets the connection go when it cannot renew the lease for most of its life', async () => {
    const g = gateway();
    const l = leases();
    starter = createPlatformStarter({ platforms: new Map([['discord', g]]), handlers, log: silentLogger, retryMs: 10, leases: l });
    await starter.startAll();
    l.broken = true;
    // A failed renewal or two is ridden out…
    await sleep(25);
    expect(g.stops).toBe(0);
    // …but not past two thirds of the lease's life.
    await until(() => g.stops === 1);
    expect(starter.state('discord')).toBe('standby');
    l.broken = false;
    await until(() => g.starts === 2);
  });
});
