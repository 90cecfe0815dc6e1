/**
 * @module What /healthz reports for the bot: `problems` an operator must act on (a 503), `notices` of
 * passing trouble, liveness (the poll loop still starts cycles), and the state of feeds, deliveries,
 * platforms and channels. The README's "Health and metrics" lists each cause.
 */
import type { Config } from '../config/load-config.ts';
import type { Deliverer } from '../outbox/deliver.ts';
import type { ChatPlatform } from '../platforms/chat-platform.ts';
import type { Store } from '../store/ports.ts';
import type { Health } from './http-server.ts';
import type { InboundState } from './platform-starter.ts';
import type { CycleStatus } from './poll-cycle.ts';

/** Trouble that lasts this long is for an operator; shorter is a notice. */
const PERSISTENT_MS = 5 * 60_000;
/** No poll cycle started for this long: the loop is stuck, and only a restart helps (liveness fails). */
const STALLED_MS = 30 * 60_000;
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/** The configured feeds by their last poll: a loop that runs but reaches no feed is not healthy. */
export function feedHealth(config: Config, store: Store): { configured: number; ok: number; failing: number } {
  const states = config.feeds.map((f) => store.feeds.get(f.url));
  return {
    configured: config.feeds.length,
    ok: states.filter((st) => st?.status === 'ok').length,
    failing: states.filter((st) => st?.status === 'failing' || st?.status === 'unhealthy').length,
  };
}

export interface HealthDeps {
  config: Config;
  store: Store;
  platforms: ReadonlyMap<string, ChatPlatform>;
  deliverer: Deliverer;
  now: () => Date;
  startedAt: Date;
  inboundState: (platform: string) => InboundState | undefined;
  cycleStatus: () => CycleStatus;
}

/** The bot's health report, as a function of now (it remembers when each platform was first seen down). */
export function createHealthReport(deps: HealthDeps): () => Health {
  const { config, store, now, startedAt } = deps;
  const disconnectedSince = new Map<string, string>();

  /** When each platform was first seen disconnected (cleared once it is back). */
  const trackDisconnections = () => {
    for (const p of deps.platforms.values()) {
      const state = deps.inboundState(p.name);
      const down = state === 'retrying' || (state === 'connected' && !p.connected());
      if (!down) disconnectedSince.delete(p.name);
      else if (!disconnectedSince.has(p.name)) disconnectedSince.set(p.name, now().toISOString());
    }
  };

  return (): Health => {
    trackDisconnections();
    const { lastCycle, lastCycleError, lastCycleStart } = deps.cycleStatus();
    const age = lastCycle ? now().getTime() - Date.parse(lastCycle.at) : now().getTime() - startedAt.getTime();
    const platforms = deps.deliverer.platformHealth();
    const feeds = feedHealth(config, store);
    const at = now().getTime();
    const lasting = (since: string | null) => since !== null && at - Date.parse(since) >= PERSISTENT_MS;
    // What an operator must act on (README, "Health and metrics", lists each cause).
    const problems = [
      ...(lastCycleError ? [`polling fails: ${lastCycleError.error}`] : []),
      ...(feeds.configured > 0 && feeds.ok === 0 && feeds.failing > 0 ? ['no feed can be reached'] : []),
      ...(age > 10 * 60_000 ? [lastCycle ? 'no poll has finished for 10 minutes' : 'the first poll has not finished'] : []),
      ...Object.entries(platforms)
        .filter(([, h]) => h.state === 'auth')
        .map(([p]) => `${p} refuses the token or a scope is missing`),
      ...[...deps.platforms.values()].flatMap((p) => {
        const state = deps.inboundState(p.name);
        const since = disconnectedSince.get(p.name) ?? null;
        if (!lasting(since)) return [];
        if (state === 'retrying') return [`${p.name} cannot be reached at start (retrying)`];
        return state === 'connected' && !p.connected() ? [`${p.name} has been disconnected for 5 minutes (reconnecting)`] : [];
      }),
      // Posting that has failed for a while with messages still waiting; a rate limit is not a failure,
      // and a message given up on is counted in failedDeliveries, not reported for ever.
      ...Object.entries(platforms)
        .filter(([p, h]) => h.state === 'failing' && lasting(h.since) && store.deliveries.listDue(FAR_FUTURE, 1, p).length > 0)
        .map(([p]) => `posting to ${p} has failed for 5 minutes (retrying)`),
    ];
    // Passing trouble a human need not act on: reported, never a 503.
    const notices = [
      ...Object.entries(platforms)
        .filter(([, h]) => h.state === 'rate_limited' || (h.state === 'failing' && !lasting(h.since)))
        .map(([p, h]) => (h.state === 'rate_limited' ? `${p} asked briefbot to slow down` : `posting to ${p} failed; retrying`)),
      ...[...deps.platforms.values()]
        .filter((p) => disconnectedSince.has(p.name) && !lasting(disconnectedSince.get(p.name) ?? null))
        .map((p) => `${p.name} is reconnecting`),
      ...[...deps.platforms.values()]
        .filter((p) => deps.inboundState(p.name) === 'standby')
        .map((p) => `${p.name}: another instance holds the connection; this one posts, and takes over if it goes`),
    ];
    return {
      status: problems.length ? 'degraded' : lastCycle ? 'ok' : 'starting',
      problems,
      notices,
      // Alive while the poll loop keeps starting cycles: a restart helps only when it has stopped.
      live: now().getTime() - (lastCycleStart ?? startedAt).getTime() < STALLED_MS,
      startedAt: startedAt.toISOString(),
      lastCycle,
      feeds,
      pendingDeliveries: store.deliveries.countPending(),
      failedDeliveries: store.deliveries.countFailed(),
      platforms: [...deps.platforms.keys()],
      delivery: Object.fromEntries(Object.entries(platforms).map(([p, h]) => [p, h.state])),
      channels: config.channels.map((c) => ({ name: c.name, via: c.deliveredVia })),
    };
  };
}
