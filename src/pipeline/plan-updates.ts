/**
 * @module After a poll: events already posted in a channel that gained sources or disputed points get
 * an update in their thread — at most one per event per thread in `minInterval` (changes arriving in
 * between accumulate into the next update).
 */
import { changesSince, hasChanges } from '../briefing/event-changes.ts';
import { briefEvents } from './brief-events.ts';
import { type PlanDeps, planEventUpdate } from './plan-briefs.ts';

export async function planUpdates(eventIds: readonly string[], minIntervalMs: number, deps: PlanDeps): Promise<number> {
  if (eventIds.length === 0) return 0;
  const posts = deps.store.deliveries.postsForEvents([...new Set(eventIds)]);
  if (posts.length === 0) return 0;
  const now = deps.now().getTime();
  const due = posts.filter((p) => now - Date.parse(p.updatedAt) >= minIntervalMs);
  if (due.length === 0) return 0;
  const briefs = new Map((await briefEvents([...new Set(due.map((p) => p.eventId))], deps)).map((b) => [b.id, b]));
  let planned = 0;
  for (const post of due) {
    const event = briefs.get(post.eventId);
    if (!event) continue;
    const change = changesSince(event, { articles: post.shownArticles, points: post.shownPoints });
    if (!hasChanges(change)) continue;
    planEventUpdate(post, event, change, deps);
    planned++;
    deps.logger.info('update planned', {
      event: post.eventId,
      channel: post.channelId,
      newSources: change.newSources.length,
      newPoints: change.newPoints.length,
    });
  }
  return planned;
}
