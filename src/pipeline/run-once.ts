/**
 * @module The one-shot run behind `briefbot once`: poll the feeds, group what changed into events,
 * and brief every event that gained articles in this run (or since a given time).
 */
import { composeBriefing, composeEventBrief } from '../briefing/compose-briefing.ts';
import type { Article, Briefing, EventBrief } from '../core/types.ts';
import type { StoredArticle } from '../store/ports.ts';
import { type PollDeps, type PollOptions, type PollReport, pollFeeds } from './poll-feeds.ts';

export interface RunOnceOptions extends PollOptions {
  /** Brief events that gained articles at or after this time, instead of only in this run. */
  since?: string | undefined;
}

export interface RunOnceResult {
  poll: PollReport;
  briefing: Briefing;
}

export async function runOnce(options: RunOnceOptions, deps: PollDeps): Promise<RunOnceResult> {
  const poll = await pollFeeds(options, deps);
  const changed: StoredArticle[] = options.since
    ? deps.store.articles.listChangedSince(options.since)
    : deps.store.articles.getMany([...new Set([...poll.newArticleIds, ...poll.updatedArticleIds])]);
  const events = changed.map((a) => briefSingleton(a));
  const feeds = poll.feeds.map((f) => ({ url: f.url, ok: f.ok, newArticles: f.newArticles, error: f.error }));
  return { poll, briefing: composeBriefing(deps.now().toISOString(), feeds, events) };
}

function leadSentences(text: string, max: number): string[] {
  const paragraphs = text.split(/\n\n/);
  const first = paragraphs.find((p) => p.split(/\s+/).length >= 8) ?? paragraphs[0] ?? '';
  return (first.match(/[^.!?]+[.!?]+["”’)]?(\s|$)/g) ?? [first])
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, max);
}

function briefSingleton(a: Article): EventBrief {
  return composeEventBrief({
    id: `e_${a.id.slice(2)}`,
    title: a.title,
    articles: [a],
    summary: leadSentences(a.text || a.summary, 2),
    disputed: [],
  });
}
