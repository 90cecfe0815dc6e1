/**
 * @module After a poll: events already posted in a channel that gained sources or disputed points get
 * an update in their thread (the events changed in this poll, and those a thread has not been checked
 * for since they last changed) — at most one per event per channel in `minInterval`, and none while the
 * previous one waits to be posted (changes arriving in between accumulate into the next update).
 */
import { changesSince, hasChanges } from '../briefing/event-changes.ts';
import { briefEvents } from '../pipeline/brief-events.ts';
import type { EventPost } from '../store/ports.ts';
import { type PlanDeps, planEventUpdate } from './plan-briefs.ts';

/**
 * The thread an event's updates go to in a channel: the scheduled brief's (where the channel follows
 * the news), else the latest on-demand one.
 */
function preferredPosts(posts: readonly EventPost[]): EventPost[] {
  const best = new Map<string, EventPost>();
  const rank = (p: EventPost) => `${p.briefKind === 'scheduled' ? 1 : 0}|${p.postedAt}`;
  for (const p of posts) {
    const key = `${p.platform}\u0000${p.channelId}\u0000${p.eventId}`;
    const current = best.get(key);
    if (!current || rank(p) > rank(current)) best.set(key, p);
  }
  return [...best.values()];
}

export async function planUpdates(eventIds: readonly string[], minIntervalMs: number, deps: PlanDeps): Promise<number> {
  if (eventIds.length === 0) return 0;
  const posts = preferredPosts(deps.store.deliveries.postsForEvents([...new Set(eventIds)]));
  if (posts.length === 0) return 0;
  const now = deps.now().getTime();
  const queued = new Map<string, Set<string>>();
  const queuedIn = (platform: string, channelId: string) => {
    const key = `${platform}\u0000${channelId}`;
    let ids = queued.get(key);
    if (!ids) {
      ids = deps.store.deliveries.queuedEventIds(platform, channelId);
      queued.set(key, ids);
    }
    return ids;
  };
  // Not while an update (or the event itself) is still waiting to go out there: what it missed goes
  // into the next update, once that one is posted.
  const due = posts.filter((p) => now - Date.parse(p.updatedAt) >= minIntervalMs && !queuedIn(p.platform, p.channelId).has(p.eventId));
  if (due.length === 0) return 0;
  const briefs = new Map((await briefEvents([...new Set(due.map((p) => p.eventId))], deps)).map((b) => [b.id, b]));
  let planned = 0;
  const checkedAt = deps.now().toISOString();
  for (const post of due) {
    const event = briefs.get(post.eventId);
    if (!event) continue;
    const change = changesSince(event, { articles: post.shownArticles, points: post.shownPoints });
    // Checked: until the event changes again, it is not looked at for this thread. (Skipped ones above
    // stay unchecked, so what they missed is picked up by a later cycle.)
    deps.store.transaction(() => {
      deps.store.deliveries.markChecked(post, checkedAt);
      if (hasChanges(change)) planEventUpdate(post, event, change, deps);
    });
    if (!hasChanges(change)) continue;
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
