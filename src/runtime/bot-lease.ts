/**
 * @module The database's "bot" lease: one bot polls and posts per SQLite database. It is taken at start (a
 * second bot refuses to start, naming the first), renewed well before it runs out, and released on stop.
 * A PostgreSQL store is shared by any number of instances instead (`sharedStoreLease`).
 */
import { BriefbotError, errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { LeaseHolder, Store } from '../store/ports.ts';
import type { InboundLeases } from './platform-starter.ts';
import { pidAlive } from './process-lease.ts';

const BOT_LEASE = 'bot';
const BOT_LEASE_TTL_MS = 90_000;
const BOT_LEASE_RENEW_MS = 30_000;

export interface BotLease {
  /** Renews it now (also done every 30 s); says so when another bot took it over. */
  renew(): void;
  /** Stops renewing it (the first step of stopping). */
  stopRenewing(): void;
  /** Gives it up (the last step of stopping). */
  release(): void;
}

/** Takes the lease, or throws `store_busy` naming the bot that holds it. */
export function holdBotLease(store: Store, holder: LeaseHolder, now: () => Date, log: Logger): BotLease {
  // Two bots on one database would both poll, cluster and post: the second one refuses to start.
  const lease = store.leases.acquire(BOT_LEASE, holder, BOT_LEASE_TTL_MS, now(), pidAlive);
  if (!lease.granted) {
    throw new BriefbotError(
      'store_busy',
      `another briefbot is already running on this database (pid ${lease.holder.pid} on ${lease.holder.host}, since ${lease.since}): ` +
        'stop it first, or give this one its own database (store.path or BRIEFBOT_DB). `briefbot once` and `briefbot brief` can run beside it.',
    );
  }
  const renew = () => {
    try {
      const r = store.leases.acquire(BOT_LEASE, holder, BOT_LEASE_TTL_MS, now(), pidAlive);
      if (!r.granted) log.error('another briefbot took over this database', { pid: r.holder.pid, host: r.holder.host });
    } catch (err) {
      log.warn('could not renew the bot lease', { error: errorMessage(err) });
    }
  };
  const timer = setInterval(renew, BOT_LEASE_RENEW_MS);
  timer.unref();
  return {
    renew,
    stopRenewing: () => clearInterval(timer),
    release: () => store.leases.release(BOT_LEASE, holder.id),
  };
}

/**
 * On a store several instances share (PostgreSQL) there is no database-wide lease: each feed, each
 * delivery and the clustering are claimed one by one. This says so in the log, and holds nothing.
 */
export function sharedStoreLease(log: Logger, store: Store, holder: LeaseHolder): BotLease {
  log.info('sharing the database with any other instances', { store: store.description, instance: holder.id });
  return { renew: () => undefined, stopRenewing: () => undefined, release: () => undefined };
}

/** A platform connection's lease runs out this long after its holder stopped renewing it (killed, say). */
const INBOUND_LEASE_TTL_MS = 30_000;
const INBOUND_LEASE_RENEW_MS = 10_000;

/** The leases of single-inbound platform connections (Discord's gateway), one holder among the instances. */
export function inboundLeases(store: Store, holder: LeaseHolder, now: () => Date): InboundLeases {
  return {
    acquire: (platform) => store.leases.acquire(`inbound:${platform}`, holder, INBOUND_LEASE_TTL_MS, now(), pidAlive).granted,
    release: (platform) => store.leases.release(`inbound:${platform}`, holder.id),
    renewMs: INBOUND_LEASE_RENEW_MS,
    ttlMs: INBOUND_LEASE_TTL_MS,
  };
}
