/**
 * @module Turns briefs into ledger entries: a scheduled brief for a channel, an on-demand brief for
 * `/brief <topic>`, a sources reply, an update in an event's thread. Everything posted goes through the
 * ledger, recorded before it is posted, with ids derived from what it is (so planning the same brief
 * twice — after a restart in the same minute, say — records it once).
 */
import { createHash } from 'node:crypto';
import { composeBriefing } from '../briefing/compose-briefing.ts';
import { type EventChange, shownState } from '../briefing/event-changes.ts';
import { selectEvents } from '../briefing/select-events.ts';
import type { ChannelSpec } from '../config/load-config.ts';
import type { EventBrief } from '../core/types.ts';
import { type BriefDeps, briefEvents } from '../pipeline/brief-events.ts';
import type { DeliveryContent } from '../platforms/chat-platform.ts';
import type { Logger } from '../shared/logger.ts';
import type { NewDelivery, Store } from '../store/ports.ts';

export interface PlanDeps extends BriefDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
}

export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)}`;
}

function deliveriesFor(
  briefId: string,
  parent: DeliveryContent,
  events: readonly EventBrief[],
  threadRef: string | null = null,
): NewDelivery[] {
  const parentKey = `${briefId}:parent`;
  return [
    { key: parentKey, seq: 0, parentKey: null, threadRef, content: JSON.stringify(parent), eventIds: events.map((e) => e.id) },
    ...events.map((event, i) => ({
      key: `${briefId}:event:${i + 1}`,
      seq: i + 1,
      parentKey,
      threadRef: null,
      content: JSON.stringify({ kind: 'event', event, index: i + 1 } satisfies DeliveryContent),
      eventIds: [event.id],
    })),
  ];
}

export interface PlannedBrief {
  briefId: string;
  events: number;
  /** False when the same brief was already planned (the same topic in the same minute, a restart). */
  fresh: boolean;
}

/**
 * A channel's scheduled brief: events updated within the window (and since its last brief) that the
 * channel has not shown yet, matching its topics. `slot` is the schedule tick the brief belongs to.
 */
export async function planScheduledBrief(channel: ChannelSpec, slot: Date, window: number, deps: PlanDeps): Promise<PlannedBrief | null> {
  const now = deps.now();
  const ledger = deps.store.deliveries;
  const briefId = stableId('b', channel.deliveredVia, channel.id, slot.toISOString().slice(0, 16));
  // This slot's brief is on record already (another instance on a shared database planned it, or a
  // start-up brief fell on the schedule's minute): nothing more to plan for it.
  if (ledger.getBrief(briefId)) return { briefId, events: 0, fresh: false };
  const last = ledger.lastBriefAt(channel.deliveredVia, channel.id);
  const windowStart = new Date(now.getTime() - window).toISOString();
  const since = last && last > windowStart ? last : windowStart;
  // Not what the channel has shown already, nor what is queued for it (planned before a restart, waiting out an outage).
  const queued = ledger.queuedEventIds(channel.deliveredVia, channel.id);
  // Briefs are written only for the likeliest: those with enough independent sources, best-sourced first
  // (all of them when the channel filters by topic, since the topic is only known from the brief).
  const candidates = deps.store.events
    .listUpdatedSince(since, 500)
    .filter(
      (e) => e.independentCount >= channel.minSources && !queued.has(e.id) && !ledger.getEventPost(channel.deliveredVia, channel.id, e.id),
    )
    .sort((a, b) => b.independentCount - a.independentCount || b.lastPublishedAt.localeCompare(a.lastPublishedAt))
    .slice(0, channel.topics ? 150 : Math.max(20, channel.maxEvents * 3))
    .map((e) => e.id);
  const briefs = await briefEvents(candidates, deps);
  const chosen = selectEvents(briefs, channel);
  if (chosen.length === 0) {
    ledger.setLastBriefAt(channel.deliveredVia, channel.id, now.toISOString());
    deps.logger.info('no new events for this channel; nothing posted', { channel: channel.name });
    return null;
  }
  const briefing = composeBriefing(now.toISOString(), [], chosen);
  const parent: DeliveryContent = { kind: 'parent', briefing, heading: channel.heading ?? null, timezone: channel.timezone, topic: null };
  // The brief and "this channel was briefed" are one fact: both or neither.
  const recorded = deps.store.transaction(() => {
    const fresh = ledger.enqueueBrief(
      {
        id: briefId,
        platform: channel.deliveredVia,
        channelId: channel.id,
        kind: 'scheduled',
        createdAt: now.toISOString(),
        payload: JSON.stringify(briefing),
      },
      deliveriesFor(briefId, parent, briefing.events),
    );
    // Only a brief recorded now moves the channel on: events this plan chose are otherwise still to come.
    if (fresh) ledger.setLastBriefAt(channel.deliveredVia, channel.id, now.toISOString());
    return fresh;
  });
  if (recorded) deps.logger.info('brief planned', { channel: channel.name, brief: briefId, events: chosen.length });
  return { briefId, events: chosen.length, fresh: recorded };
}

/** `/brief <topic>`: the matching events as a threaded brief in the channel. */
export function planOnDemandBrief(
  platform: string,
  channelId: string,
  topic: string,
  events: readonly EventBrief[],
  timezone: string,
  deps: PlanDeps,
  /** Asked inside a thread: the brief is posted in that thread instead of starting one. */
  threadRef: string | null = null,
): PlannedBrief {
  const now = deps.now();
  const briefing = composeBriefing(now.toISOString(), [], [...events]);
  briefing.events = [...events];
  const briefId = stableId('q', platform, channelId, threadRef ?? '', topic.toLowerCase(), now.toISOString().slice(0, 16));
  const parent: DeliveryContent = { kind: 'parent', briefing, heading: null, timezone, topic };
  const fresh = deps.store.deliveries.enqueueBrief(
    { id: briefId, platform, channelId, kind: 'on_demand', createdAt: now.toISOString(), payload: JSON.stringify(briefing) },
    deliveriesFor(briefId, parent, briefing.events, threadRef),
  );
  return { briefId, events: events.length, fresh };
}

/** One reply in an existing thread (sources on request, a notice). */
export function planThreadReply(
  platform: string,
  channelId: string,
  threadRef: string,
  content: DeliveryContent,
  idParts: string[],
  deps: PlanDeps,
): string {
  const now = deps.now();
  const briefId = stableId(content.kind === 'sources' ? 's' : 'n', platform, channelId, threadRef, ...idParts);
  deps.store.deliveries.enqueueBrief(
    { id: briefId, platform, channelId, kind: content.kind, createdAt: now.toISOString(), payload: JSON.stringify(content) },
    [
      {
        key: `${briefId}:reply`,
        seq: 0,
        parentKey: null,
        threadRef,
        content: JSON.stringify(content),
        eventIds: content.kind === 'sources' ? content.events.map((e) => e.id) : [],
      },
    ],
  );
  return briefId;
}

/** An update in an event's thread: what is new since the thread last showed it. */
export function planEventUpdate(
  post: { platform: string; channelId: string; threadRef: string },
  event: EventBrief,
  change: EventChange,
  deps: PlanDeps,
): string {
  const now = deps.now();
  const shown = shownState(event);
  const briefId = stableId('u', post.platform, post.channelId, event.id, shown.articles.join(','), shown.points.join(','));
  const content: DeliveryContent = { kind: 'update', event, newSources: change.newSources, newPoints: change.newPoints };
  deps.store.deliveries.enqueueBrief(
    {
      id: briefId,
      platform: post.platform,
      channelId: post.channelId,
      kind: 'update',
      createdAt: now.toISOString(),
      payload: JSON.stringify(content),
    },
    [
      {
        key: `${briefId}:update`,
        seq: 0,
        parentKey: null,
        threadRef: post.threadRef,
        content: JSON.stringify(content),
        eventIds: [event.id],
      },
    ],
  );
  return briefId;
}
