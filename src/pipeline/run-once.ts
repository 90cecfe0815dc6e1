/**
 * @module The one-shot run behind `briefbot once`: poll the feeds, cluster what is new into events,
 * and brief every event that gained articles in this run — and any that gained articles after the
 * last run that printed its brief (a run killed between clustering and printing loses nothing) — or,
 * with `since`, every event updated since then.
 */
import { composeBriefing } from '../briefing/compose-briefing.ts';
import type { ClusterParams } from '../cluster/cluster-stories.ts';
import type { Briefing } from '../core/types.ts';
import type { Store } from '../store/ports.ts';
import { type BriefDeps, briefEvents } from './brief-events.ts';
import { type ClusterDeps, type ClusterRun, clusterNewArticles } from './cluster-articles.ts';
import { type PollDeps, type PollOptions, type PollReport, pollFeeds } from './poll-feeds.ts';

export interface RunOnceOptions extends PollOptions {
  cluster: ClusterParams;
  /** Brief events that gained articles at or after this time, instead of only in this run. */
  since?: string | undefined;
}

export interface RunOnceResult {
  poll: PollReport;
  cluster: ClusterRun;
  briefing: Briefing;
  /** Pass to `markOnceBriefed` once the briefing has been printed. */
  briefedThrough: string;
}

/** The reader name under which `once` keeps its position (store cursor). */
const ONCE_READER = 'once';
/** Most events one run briefs. */
const MAX_EVENTS = 100_000;

export async function runOnce(
  options: RunOnceOptions,
  deps: PollDeps & BriefDeps & Pick<ClusterDeps, 'chunkSize' | 'lease'>,
): Promise<RunOnceResult> {
  const { store } = deps;
  // Before anything is clustered: where this reader's unprinted updates begin. The first run on a
  // database starts here, so even a first run killed before printing is made up by the next.
  let from = store.events.getCursor(ONCE_READER);
  if (from === null) {
    from = deps.now().toISOString();
    store.events.setCursor(ONCE_READER, from);
  }
  const poll = await pollFeeds(options, deps);
  const cluster = await clusterNewArticles(options.cluster, deps);
  const briefedThrough = deps.now().toISOString();
  const changedArticles = store.articles.getMany([...new Set(poll.updatedArticleIds)]);
  const eventIds = options.since
    ? store.events.listUpdatedSince(options.since, MAX_EVENTS).map((e) => e.id)
    : [
        ...new Set([
          ...cluster.touchedEventIds,
          ...changedArticles.map((a) => a.eventId).filter((id): id is string => id !== null),
          // Clustered by an earlier run that never printed (killed), or by a bot on the same database.
          ...store.events.listUpdatedSince(from, MAX_EVENTS).map((e) => e.id),
        ]),
      ];
  const events = await briefEvents(eventIds, deps);
  const feeds = poll.feeds.map((f) => ({ url: f.url, ok: f.ok, newArticles: f.newArticles, error: f.error }));
  return { poll, cluster, briefing: composeBriefing(deps.now().toISOString(), feeds, events), briefedThrough };
}

/** Records that a run's briefing was printed: the next run starts after it. */
export function markOnceBriefed(store: Store, result: Pick<RunOnceResult, 'briefedThrough'>): void {
  const next = new Date(Date.parse(result.briefedThrough) + 1).toISOString();
  const current = store.events.getCursor(ONCE_READER);
  if (current === null || current < next) store.events.setCursor(ONCE_READER, next);
}
