/**
 * @module The one-shot run behind `briefbot once`: poll the feeds, cluster what is new into events,
 * and brief every event that gained articles in this run (or since a given time).
 */
import { composeBriefing } from '../briefing/compose-briefing.ts';
import type { ClusterParams } from '../cluster/cluster-stories.ts';
import type { Briefing } from '../core/types.ts';
import { type BriefDeps, briefEvents } from './brief-events.ts';
import { type ClusterRun, clusterNewArticles } from './cluster-articles.ts';
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
}

export async function runOnce(options: RunOnceOptions, deps: PollDeps & BriefDeps): Promise<RunOnceResult> {
  const poll = await pollFeeds(options, deps);
  const cluster = clusterNewArticles(options.cluster, deps);
  const changedArticles = deps.store.articles.getMany([...new Set(poll.updatedArticleIds)]);
  const eventIds = options.since
    ? deps.store.events.listUpdatedSince(options.since, 100_000).map((e) => e.id)
    : [...new Set([...cluster.touchedEventIds, ...changedArticles.map((a) => a.eventId).filter((id): id is string => id !== null)])];
  const events = await briefEvents(eventIds, deps);
  const feeds = poll.feeds.map((f) => ({ url: f.url, ok: f.ok, newArticles: f.newArticles, error: f.error }));
  return { poll, cluster, briefing: composeBriefing(deps.now().toISOString(), feeds, events) };
}
